#pragma once
/// @file FaithfulnessView.h
/// Faithfulness of a map on the shown run (docs/faithfulness.md): for the chosen source (attention,
/// rollout, Attn-N, GlobEnc, ALTI), the deletion and insertion curves against 5 random orders with
/// their band and AUCs, ERASER's comprehensiveness and sufficiency (AOPC), and the replacement of a
/// removed token named, computed in the background (progress and Cancel) and kept per run and source.
/// An intervened run is judged with its interventions.

#include "common/ExplorerState.h"
#include "common/RunComputation.h"
#include "common/FigureSource.h"
#include "interpret/Faithfulness.h"

#include <QWidget>


class QComboBox;

namespace attn::widgets {

/// The deletion and insertion curves of one source.
class FaithfulnessView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit FaithfulnessView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input).
    void setState(ExplorerState* state);
    /// Computes for the shown run and the chosen source in the background (nothing when cached,
    /// running, or without a run that can be run again).
    void compute();
    /// The result for the shown run and source, or null.
    const Faithfulness* shown() const;
    /// Spearman's correlation between every pair of sources on the shown run (with its result; empty
    /// otherwise): all five where the layers are decomposed, else attention and rollout.
    std::vector<SourceCorrelation> correlations() const;
    BackgroundJob& job() { return controls_->job(); }
    QComboBox* sourceBox() const { return controls_->choiceBox(); }

    QSize figureSize() const override { return {720, 420}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {600, 360}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintInto(QPainter& painter, const QRectF& area) const;
    void refresh();

    ExplorerState* state_ = nullptr;
    RunComputation* controls_;
};

} // namespace attn::widgets
