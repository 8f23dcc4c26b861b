#pragma once
/// @file HeadImportanceView.h
/// Head importance of the shown run (docs/head-importance.md), beside the head statistics: every
/// head ablated alone in the background (zero, mean or uniform; progress and Cancel), a layers x
/// heads heatmap of the metric's change, Spearman's correlation between importance and each head
/// statistic, and Michel et al.'s cumulative pruning curve against 5 random orders. Results are
/// kept per run and ablation. Click selects a head; the context menu changes it (HeadMenu.h).

#include "common/ExplorerState.h"
#include "common/RunComputation.h"
#include "common/FigureSource.h"
#include "interpret/HeadImportance.h"

#include <QWidget>


class QComboBox;

namespace attn::widgets {

/// What one computation gives.
struct ImportanceResult {
    HeadImportance importance;
    PruningCurve pruning;
    std::map<std::string, double> correlations; ///< Spearman with "entropy", "distance", "sink_mass", "temperature".
};

/// The importance grid, its correlations and the pruning curve.
class HeadImportanceView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit HeadImportanceView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input).
    void setState(ExplorerState* state);
    /// Computes for the shown run and the chosen ablation, in the background (nothing when it is
    /// cached, when a computation is running, or without a run or predictor).
    void compute();
    /// The result for the shown run and ablation, or null.
    const ImportanceResult* shown() const;
    /// The computation's job (tests wait on it).
    BackgroundJob& job() { return controls_->job(); }
    /// The ablation chooser.
    QComboBox* ablationBox() const { return controls_->choiceBox(); }

    QSize figureSize() const override { return {520, 560}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {340, 480}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QRectF canvas() const;
    void paintInto(QPainter& painter, const QRectF& area) const;
    void paintGrid(QPainter& painter, const QRectF& area, const ImportanceResult& r) const;
    void paintPruning(QPainter& painter, const QRectF& area, const ImportanceResult& r) const;
    QPoint headAt(const QPointF& pos) const;
    void refresh();

    ExplorerState* state_ = nullptr;
    RunComputation* controls_;
};

} // namespace attn::widgets
