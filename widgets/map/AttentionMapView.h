#pragma once
/// @file AttentionMapView.h
/// The selected head's query x key attention matrix as a heatmap: token labels on both
/// axes (thinned when dense), zoom (wheel) and pan (drag), a hover readout, a colour bar,
/// linear or log scale. With a comparison head set in the state it shows the difference
/// (selected minus comparison) on a diverging colormap, symmetric about 0. Draws from a cached
/// image pyramid (one max-pooled level per halving, built lazily: only the levels the current
/// zoom needs; at full resolution only the visible part and a margin), never cell by cell, so
/// it stays smooth for long inputs.

#include "common/ExplorerState.h"
#include "common/FigureSource.h"

#include <QImage>
#include <QRect>
#include <QRectF>
#include <QWidget>

#include <vector>

namespace attn::widgets {

/// Heatmap of one head's attention.
class AttentionMapView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit AttentionMapView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input): draws its run and selection.
    void setState(ExplorerState* state);

    /// Visible part of the matrix in cell coordinates (x = key, y = query).
    QRectF visibleCells() const { return view_; }
    /// Shows the given cell rectangle (clamped to the matrix).
    void setVisibleCells(const QRectF& cells);
    /// Shows the whole matrix.
    void resetZoom();
    /// The (query, key) cell under a widget position, or (-1, -1).
    QPoint cellAt(const QPointF& pos) const;
    /// Widget-space rectangle of a cell (for tests and overlays).
    QRectF cellRect(int query, int key) const;
    /// Text of the hover readout ("" when the mouse is not over a cell).
    const QString& readout() const { return readout_; }
    /// Rebuilds the cached image of the selected head (exposed for the redraw benchmark).
    void rebuildImage();

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {640, 560}; }

signals:
    /// The mouse is over cell (query, key) with this weight; query -1 when it left.
    void hovered(int query, int key, float weight);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    /// The shown head's menu: ablate, temperature, restore (HeadMenu.h).
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct Layout {
        QRectF title, plot, bar;
        qreal labelWidth = 64; ///< Room for token labels left of and below the plot.
    };
    Layout layoutFor(const QSize& size, const QFontMetricsF& fm) const;
    void paintInto(QPainter& painter, const QSize& size, bool vectorCells) const;
    void paintCells(QPainter& painter, const QRectF& plot, bool vectorCells) const;
    void paintAxes(QPainter& painter, const QRectF& plot, qreal labelWidth) const;
    struct LevelImage {
        const QImage* image; ///< One pixel per cell (level 0) or per 2^k x 2^k block (level k).
        QRectF cells;        ///< The cells it covers: all of them, or a crop at level 0.
    };
    LevelImage levelFor(double cellsPerPixel) const;
    LevelImage levelImage(std::size_t level) const;
    LevelImage cropImage() const;
    QRect visibleCellRange() const;
    void readRows(Index row0, Index rows, float* dst) const;
    float cellValue(Index query, Index key) const;
    ColourRange range() const;
    Colormap colormap() const;
    void onRunChanged();
    void updateReadout(const QPointF& pos);

    ExplorerState* state_ = nullptr;
    // The matrix shown (the selected head, or its difference from the comparison head) is read
    // from the run's store as needed and never copied whole.
    Index length_ = 0;                   // L: the matrix is L x L (0 without a run)
    float maxWeight_ = 1.0f;             // largest |value| of the matrix, for the colour range
    std::size_t levelCount_ = 0;         // pyramid levels: k = 0 (the cells) ... until <= 64 cells
    mutable std::vector<Matrix> pooled_; // level k >= 1: the matrix max-pooled by 2^k (k = 1 at once, others lazily)
    mutable std::vector<QImage> images_; // level k >= 1 image (lazily; null until needed)
    mutable QImage crop_;                // level 0: the visible cells and a margin, one pixel each
    mutable QRect cropCells_;            // the cells crop_ covers
    QRectF view_;                 // visible cells
    QString readout_;
    QPointF dragStart_;
    QRectF dragView_;
    bool dragging_ = false;
    QString longestLabel_; ///< The run's longest axis label ("token index"), which sizes the label margin.
};

} // namespace attn::widgets
