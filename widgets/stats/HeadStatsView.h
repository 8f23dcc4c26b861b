#pragma once
/// @file HeadStatsView.h
/// Which heads are sharp and which are diffuse: a layers x heads heatmap of one chosen
/// statistic (entropy, mean distance, [CLS] mass, padding mass, score spread, temperature)
/// above a sortable table of every statistic of every head. Clicking a heatmap cell or
/// selecting a table row selects that head in the ExplorerState; the table follows the
/// state's selection. Statistics are recomputed for each new run (attn::headStatistics).

#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "interpret/HeadStatistics.h"
#include "stats/HeadStatsModel.h"

#include <QPoint>
#include <QRectF>
#include <QWidget>

#include <vector>

class QComboBox;
class QFontMetricsF;
class QSortFilterProxyModel;
class QSpacerItem;
class QTableView;

namespace attn::widgets {

/// Heatmap and table of the per-head statistics of the shown run.
class HeadStatsView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit HeadStatsView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input): draws its run and selection.
    void setState(ExplorerState* state);

    /// The table of statistics (sortable; rows follow the selected head).
    QTableView* table() const { return table_; }
    /// The chooser of the heatmap's statistic.
    QComboBox* metricBox() const { return metricBox_; }
    /// The statistic in the heatmap, as a HeadStatsModel column.
    HeadStatsModel::Column metric() const;
    /// Shows another statistic in the heatmap (one of the metricBox() entries).
    void setMetric(HeadStatsModel::Column metric);
    /// Widget-space rectangle of one heatmap cell (empty before the widget is laid out).
    QRectF heatmapCellRect(int layer, int head) const;
    /// The heatmap cell (x = head, y = layer) under a widget position, or (-1, -1).
    QPoint heatmapCellAt(const QPointF& pos) const;
    /// Statistics of every kept head of the shown run, by layer then head.
    const std::vector<HeadStats>& stats() const { return model_->stats(); }

    QSize figureSize() const override;
    /// The heatmap of the chosen statistic with its labels and colour bar.
    void paintFigure(QPainter& painter, const QSize& size) const override;
    /// CSV: the whole table (one row per head, every statistic). NPY: the chosen statistic,
    /// [layers, heads] (NaN for layers not kept).
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {560, 560}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    /// The head's menu on the heatmap: ablate, temperature, restore (HeadMenu.h).
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    struct Layout {
        QRectF cells, bar; // all cells; colour bar
        qreal cellWidth = 0, cellHeight = 0;
    };
    Layout heatmapLayout(const QRectF& area, const QFontMetricsF& fm, qreal maxCell) const;
    QRectF heatmapArea() const;
    Matrix metricMatrix() const;
    ColourRange metricRange(const Matrix& values) const;
    void paintHeatmap(QPainter& painter, const QRectF& area, qreal maxCell) const;
    void paintCells(QPainter& painter, const Layout& l, const Matrix& values) const;
    void onRunChanged();
    void onRowSelected();
    void selectStateRow();
    void updateHeatmapSpace();

    ExplorerState* state_ = nullptr;
    HeadStatsModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QComboBox* metricBox_;
    QSpacerItem* heatmapSpace_;
    bool syncing_ = false;
};

} // namespace attn::widgets
