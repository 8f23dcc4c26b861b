#pragma once
/// @file ColourPainting.h
/// Heatmap images and colour bars, shared by the views and their exported figures.

#include "render/Colormap.h"
#include "tensor/Tensor.h"

#include <QImage>
#include <QRectF>
#include <QString>

class QPainter;

namespace attn::widgets {

/// One pixel per matrix cell, coloured through the colormap and range.
QImage heatmapImage(const Matrix& m, const Colormap& map, const ColourRange& range);

/// A colour as a QColor-compatible ARGB value.
unsigned int colourOf(const Colormap& map, const ColourRange& range, double value);

/// A vertical colour bar in rect (the gradient on the left, ticks and their values on the
/// right) with a label above; ticks at 0, 0.25, ..., 1 of the scale.
void paintColourBar(QPainter& painter, const QRectF& rect, const Colormap& map, const ColourRange& range,
                    const QString& label);

/// Width a colour bar with tick labels needs, for the painter's current font.
qreal colourBarWidth(const QPainter& painter);

} // namespace attn::widgets
