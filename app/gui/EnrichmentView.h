#pragma once
/// @file EnrichmentView.h
/// Per-head enrichment against ground truth in the window (docs/enrichment.md): the user names the
/// shown kind's annotations (a BED file, a DNA motif, a structure or residue list, a code-pair TSV,
/// a reference mask), the open input is run again from its files with them (as attnscope-cli
/// enrichment does) in the background, and a layers x heads heatmap of each head's share of
/// confident attention on the marks shows, with the background share, heads significant after
/// Benjamini-Hochberg marked and heads with too few confident weights greyed.

#include "common/BackgroundJob.h"
#include "common/FigureSource.h"
#include "interpret/Enrichment.h"
#include "model/Model.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace attn::kinds {
class Workspace;
}

namespace attn::app {

/// The enrichment heatmap and its controls.
class EnrichmentView : public QWidget, public widgets::FigureSource {
    Q_OBJECT
public:
    /// `model` gives the open model.
    explicit EnrichmentView(std::function<std::shared_ptr<const Model>()> model, QWidget* parent = nullptr);
    /// Follows the shown workspace (null: none); what was computed for another input is not shown.
    void setWorkspace(kinds::Workspace* workspace);
    /// The annotation file and the DNA motif fields.
    QLineEdit* pathField() const { return path_; }
    QLineEdit* motifField() const { return motif_; }
    /// What the file marks, when the kind offers more than one (a protein structure: contacts or
    /// binding sites); hidden otherwise.
    QComboBox* marksBox() const { return marks_; }
    /// The confidence threshold (default 0.3, as Vig et al.).
    QDoubleSpinBox* thresholdBox() const { return threshold_; }
    /// Runs the shown input again with the annotations, in the background.
    void compute();
    widgets::BackgroundJob& job() { return job_; }
    /// Every head's enrichment for the shown input (empty before a computation).
    const std::vector<HeadEnrichment>& heads() const { return heads_; }

    QSize figureSize() const override { return {560, 420}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    widgets::FigureData figureData() const override;
    QString figureTitle() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void paintInto(QPainter& painter, const QRectF& area) const;
    QRectF cellsIn(const QRectF& area, qreal* cell) const;
    QRectF canvas() const;
    void refresh();
    void offerMarks();
    QString annotationsIdentity() const;

    std::function<std::shared_ptr<const Model>()> model_;
    kinds::Workspace* workspace_ = nullptr;
    QLineEdit* path_;
    QLineEdit* motif_;
    QComboBox* marks_;
    QDoubleSpinBox* threshold_;
    QPushButton* compute_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QWidget* controls_;
    widgets::BackgroundJob job_;
    std::shared_ptr<std::vector<HeadEnrichment>> pending_;
    std::vector<HeadEnrichment> heads_;
    double computedThreshold_ = 0.3;
    QString computedFor_; ///< The input and annotations heads_ are of.
    QString pendingFor_;
    double pendingThreshold_ = 0.3;
};

} // namespace attn::app
