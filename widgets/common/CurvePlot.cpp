#include "common/CurvePlot.h"

#include "interpret/Faithfulness.h"

#include <QPainter>
#include <QPolygonF>

#include <algorithm>

namespace attn::widgets {
namespace {

constexpr qreal kLine = 18; // a line of text
constexpr qreal kAxis = 60; // room for the value labels

} // namespace

void paintCurveWithBand(QPainter& painter, const QRectF& area, const QString& title, const QString& xLabel,
                        const std::vector<double>& x, const std::vector<double>& curve, const std::vector<std::vector<double>>& random)
{
    const std::size_t n = std::min(x.size(), curve.size());
    if (n < 2 || area.height() < 3 * kLine)
        return;
    const auto [mean, sd] = curveBand(random);
    double low = *std::min_element(curve.begin(), curve.begin() + static_cast<std::ptrdiff_t>(n));
    double high = *std::max_element(curve.begin(), curve.begin() + static_cast<std::ptrdiff_t>(n));
    for (std::size_t i = 0; i < mean.size() && i < n; ++i)
        low = std::min(low, mean[i] - sd[i]), high = std::max(high, mean[i] + sd[i]);
    if (high - low < 1e-12)
        high = low + 1e-12;
    const QRectF plot = area.adjusted(kAxis, kLine, -8, -kLine - 4);
    const auto at = [&](std::size_t i, double v) {
        return QPointF(plot.left() + (x[i] - x.front()) / (x[n - 1] - x.front()) * plot.width(), plot.bottom() - (v - low) / (high - low) * plot.height());
    };
    painter.setPen(Qt::black);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), kLine), Qt::AlignLeft | Qt::AlignVCenter, title);
    painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), kLine), Qt::AlignCenter, xLabel);
    painter.drawText(QRectF(area.left(), plot.top() - 2, kAxis - 4, kLine), Qt::AlignRight, QString::number(high, 'g', 3));
    painter.drawText(QRectF(area.left(), plot.bottom() - kLine + 2, kAxis - 4, kLine), Qt::AlignRight, QString::number(low, 'g', 3));
    if (!mean.empty()) {
        QPolygonF band, meanLine;
        for (std::size_t i = 0; i < n && i < mean.size(); ++i)
            band << at(i, mean[i] + sd[i]), meanLine << at(i, mean[i]);
        for (std::size_t i = std::min(n, mean.size()); i-- > 0;)
            band << at(i, mean[i] - sd[i]);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 40));
        painter.drawPolygon(band);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(Qt::darkGray, 1.5));
        painter.drawPolyline(meanLine);
    }
    QPolygonF line;
    for (std::size_t i = 0; i < n; ++i)
        line << at(i, curve[i]);
    painter.setPen(QPen(QColor(200, 30, 30), 2));
    painter.drawPolyline(line);
}

} // namespace attn::widgets
