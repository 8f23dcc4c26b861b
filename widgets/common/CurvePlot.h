#pragma once
/// @file CurvePlot.h
/// A curve against a band of random baselines (the pruning curve, deletion and insertion curves):
/// the curve in red, the random curves' mean in grey with a band of one standard deviation.

#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace attn::widgets {

/// Paints `curve` over x in `area` with the random curves' band, a title line above and the x axis
/// label below; the y range covers everything drawn.
void paintCurveWithBand(QPainter& painter, const QRectF& area, const QString& title, const QString& xLabel,
                        const std::vector<double>& x, const std::vector<double>& curve, const std::vector<std::vector<double>>& random);

} // namespace attn::widgets
