#pragma once
/// @file HeadGridView.h
/// Every layer x head as a thumbnail of its attention map (rows: layers, columns: heads),
/// the selected head outlined, the heads the run changed marked (dashed, with their edit). Click selects;
/// the context menu changes a head (HeadMenu.h); arrow keys move through heads (left/right)
/// and layers (up/down). Thumbnails are max-pooled so that sharp heads stay visibly sharp.

#include "common/ExplorerState.h"
#include "common/FigureSource.h"

#include <QImage>
#include <QWidget>

#include <vector>

namespace attn::widgets {

/// Grid of head thumbnails.
class HeadGridView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit HeadGridView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input): draws its run and selection.
    void setState(ExplorerState* state);

    /// Widget-space rectangle of a thumbnail.
    QRectF thumbnailRect(int layer, int head) const;
    /// The (layer, head) under a position, or (-1, -1).
    QPoint headAt(const QPointF& pos) const;

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {320, 320}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    /// The head's menu: ablate, temperature, restore (HeadMenu.h).
    void contextMenuEvent(QContextMenuEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Grid {
        QRectF area;   // thumbnails
        qreal cell = 0; // thumbnail pitch
    };
    Grid gridFor(const QSize& size) const;
    void paintInto(QPainter& painter, const QSize& size) const;
    /// Outlines and tags the heads the run changed.
    void paintEditMarks(QPainter& painter, const Grid& g) const;
    void rebuild();

    ExplorerState* state_ = nullptr;
    std::vector<Matrix> pooled_;    // per layer * heads + head, max-pooled to <= kThumbnailCells
    std::vector<QImage> thumbnails_;
};

} // namespace attn::widgets
