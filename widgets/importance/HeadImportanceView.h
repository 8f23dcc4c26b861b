#pragma once
/// @file HeadImportanceView.h
/// Head importance of the shown run (docs/head-importance.md), beside the head statistics: every
/// head ablated alone in the background (zero, mean or uniform; progress and Cancel), a layers x
/// heads heatmap of the metric's change, Spearman's correlation between importance and each head
/// statistic, and Michel et al.'s cumulative pruning curve against 5 random orders. Results are
/// kept per run and ablation. Click selects a head; the context menu changes it (HeadMenu.h).

#include "common/BackgroundJob.h"
#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "interpret/HeadImportance.h"

#include <QWidget>

#include <map>
#include <memory>

class QComboBox;
class QProgressBar;
class QPushButton;

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
    BackgroundJob& job() { return job_; }
    /// The ablation chooser.
    QComboBox* ablationBox() const { return ablation_; }

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
    struct Key {
        const RunResult* run;
        int ablation;
        bool operator<(const Key& o) const { return run != o.run ? run < o.run : ablation < o.ablation; }
    };
    Key currentKey() const;
    QRectF canvas() const;
    void paintInto(QPainter& painter, const QRectF& area) const;
    void paintGrid(QPainter& painter, const QRectF& area, const ImportanceResult& r) const;
    void paintPruning(QPainter& painter, const QRectF& area, const ImportanceResult& r) const;
    QPoint headAt(const QPointF& pos) const;
    void refresh();

    ExplorerState* state_ = nullptr;
    QComboBox* ablation_;
    QPushButton* compute_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QWidget* controls_;
    BackgroundJob job_;
    std::shared_ptr<ImportanceResult> pending_;
    Key pendingKey_{nullptr, 0};
    std::weak_ptr<const RunResult> pendingRun_;
    std::map<Key, std::pair<std::weak_ptr<const RunResult>, std::shared_ptr<const ImportanceResult>>> cache_;
};

} // namespace attn::widgets
