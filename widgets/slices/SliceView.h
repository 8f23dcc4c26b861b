#pragma once
/// @file SliceView.h
/// One slice plane of the volume in VolumeState: grey levels through the shared window,
/// drawn with the true millimetre aspect ratio; a crosshair at the cursor (click or drag
/// with the left button to move it: the other planes follow); wheel to scroll through
/// slices; right-button drag for window (horizontal) and level (vertical); patient
/// orientation letters on the four edges and a scale bar; the state's overlay (attention on
/// the anatomy) blended in its colormap where it reaches the threshold.

#include "common/FigureSource.h"
#include "volume/SlicePlane.h"
#include "slices/VolumeState.h"

#include <QImage>
#include <QWidget>

namespace attn::widgets {

/// A linked slice view.
class SliceView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    SliceView(VolumeState* state, Plane plane, QWidget* parent = nullptr);

    /// The plane shown.
    Plane plane() const { return plane_; }
    /// Widget rectangle of the image (aspect-correct, centred).
    QRectF imageRect() const;
    /// Widget position of the centre of a voxel's pixel in this plane.
    QPointF voxelPosition(const std::array<int, 3>& voxel) const;
    /// The orientation letters at the left, right, top and bottom edges.
    std::array<QString, 4> orientationLabels() const;
    /// Length of the scale bar, mm.
    double scaleBarMillimetres() const;

    /// One plane's size in a figure.
    static QSize planeFigureSize() { return {520, 520}; }
    /// The plane alone, filling `size` (a panel of a larger figure).
    void paintPlane(QPainter& painter, const QSize& size) const;
    /// The plane, and with an overlay its colour bar and what it shows beside it.
    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    std::shared_ptr<const Volume> figureVolume() const override { return state_->overlayNumbers(); }
    QSize sizeHint() const override { return {360, 360}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    QRectF imageRectIn(const QRectF& area) const;
    void paintInto(QPainter& painter, const QRectF& area) const;
    void paintScaleBar(QPainter& painter, const QRectF& image, const QRectF& area) const;
    void paintOverlayText(QPainter& painter, const QRectF& image, const QRectF& area) const;
    void rebuild();
    /// Draws the outline of the region where `reference` (this plane's slice of it) >= level.
    /// Outlines the pixels at or above `level` (with a 4-neighbour below it) in `colour`.
    void drawOutline(const Matrix& reference, double level, QRgb colour);
    /// Outlines each label region (but 0) in its colour.
    void drawLabelOutlines(const Matrix& labels);
    /// 1 where the slice's voxel centres lie in the region box, else 0.
    Matrix regionMask(const VolumeGeometry& region, int fixed) const;
    void moveCursorTo(const QPointF& pos);

    VolumeState* state_;
    Plane plane_;
    SliceImage slice_;
    QImage image_;
    QPoint dragStart_;
    double dragWidth_ = 0, dragLevel_ = 0;
};

} // namespace attn::widgets
