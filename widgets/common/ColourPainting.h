#pragma once
/// @file ColourPainting.h
/// Heatmap images and colour bars, shared by the views and their exported figures.

#include "render/Colormap.h"
#include "tensor/Tensor.h"

#include <QImage>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace attn::widgets {

/// One pixel per matrix cell, coloured through the colormap and range.
QImage heatmapImage(const Matrix& m, const Colormap& map, const ColourRange& range);

/// width x height RGB pixels (rows from the top, as the 3D scenes render them) as an image.
QImage rgbImage(const std::vector<unsigned char>& rgb, int width, int height);

/// Black or white, whichever reads better on the colour (text on a heatmap's cell).
QColor textColourOn(unsigned int background);

/// A colour as a QColor-compatible ARGB value.
unsigned int colourOf(const Colormap& map, const ColourRange& range, double value);

/// A vertical colour bar in rect (the gradient on the left, ticks and their values on the
/// right) with a label above; ticks at 0, 0.25, ..., 1 of the scale.
void paintColourBar(QPainter& painter, const QRectF& rect, const Colormap& map, const ColourRange& range,
                    const QString& label);

/// Width a colour bar with tick labels needs, for the painter's current font.
qreal colourBarWidth(const QPainter& painter);

} // namespace attn::widgets
