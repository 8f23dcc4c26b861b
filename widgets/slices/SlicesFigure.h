#pragma once
/// @file SlicesFigure.h
/// The three slice planes side by side as one figure (axial, coronal, sagittal at the
/// cursor, with the overlay if any, and then the overlay's colour bar and what it shows),
/// for export.

#include "common/FigureSource.h"
#include "slices/SliceView.h"

namespace attn::widgets {

/// Axial, coronal and sagittal views of one VolumeState in a row.
class SlicesFigure : public FigureSource {
public:
    explicit SlicesFigure(VolumeState* state);

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;

private:
    void paintLegend(QPainter& painter, const QRectF& area) const;

    VolumeState* state_;
    SliceView axial_, coronal_, sagittal_;
};

} // namespace attn::widgets
