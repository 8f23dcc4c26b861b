#include "common/ColourPainting.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace attn::widgets {

unsigned int colourOf(const Colormap& map, const ColourRange& range, double value)
{
    const Rgb c = map.at(range.normalise(value));
    return qRgb(c.r, c.g, c.b);
}

QImage heatmapImage(const Matrix& m, const Colormap& map, const ColourRange& range)
{
    QRgb lut[256];
    for (int i = 0; i < 256; ++i) {
        const Rgb c = map.at(i / 255.0);
        lut[i] = qRgb(c.r, c.g, c.b);
    }
    QImage image(static_cast<int>(m.cols()), static_cast<int>(m.rows()), QImage::Format_RGB32);
    const bool linear = range.scale == ColourScale::Linear;
    const float low = static_cast<float>(range.low);
    const float scale = range.high > range.low ? static_cast<float>(255.0 / (range.high - range.low)) : 0.0f;
    for (Index r = 0; r < m.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(static_cast<int>(r)));
        if (linear) { // the common case, without a function call per cell
            for (Index c = 0; c < m.cols(); ++c) {
                const float t = std::clamp((m(r, c) - low) * scale + 0.5f, 0.0f, 255.0f);
                line[c] = lut[static_cast<int>(t)];
            }
        } else {
            for (Index c = 0; c < m.cols(); ++c)
                line[c] = lut[static_cast<int>(std::lround(range.normalise(m(r, c)) * 255.0))];
        }
    }
    return image;
}

qreal colourBarWidth(const QPainter& painter)
{
    return 18 + 6 + QFontMetricsF(painter.font()).horizontalAdvance("0.0001") + 4;
}

void paintColourBar(QPainter& painter, const QRectF& rect, const Colormap& map, const ColourRange& range,
                    const QString& label)
{
    painter.save();
    const QFontMetricsF fm(painter.font());
    const qreal top = fm.height() * 1.5 + 4; // the label, then room for the top tick's text
    const QRectF bar(rect.left(), rect.top() + top, 18, rect.height() - top - fm.height() / 2);
    painter.setPen(Qt::black);
    painter.drawText(QPointF(rect.left(), rect.top() + fm.ascent()), label);
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 32; ++i) {
        const double t = i / 32.0;
        const Rgb c = map.at(t);
        gradient.setColorAt(t, QColor(c.r, c.g, c.b));
    }
    painter.fillRect(bar, gradient);
    painter.drawRect(bar);
    // enough significant digits that neighbouring ticks differ (a narrow range far from 0)
    const double span = std::abs(range.high - range.low), magnitude = std::max(std::abs(range.high), std::abs(range.low));
    const int digits = span > 0 ? std::clamp(static_cast<int>(std::ceil(std::log10(magnitude / (span / 4)))) + 1, 3, 7) : 3;
    for (int i = 0; i <= 4; ++i) {
        const double t = i / 4.0;
        const qreal y = bar.bottom() - t * bar.height();
        painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        const double v = range.valueAt(t);
        const QString text = range.scale == ColourScale::Log ? QString::number(v, 'g', 2) : QString::number(v, 'g', digits);
        painter.drawText(QPointF(bar.right() + 6, y + fm.ascent() / 2 - 1), text);
    }
    painter.restore();
}

QImage rgbImage(const std::vector<unsigned char>& rgb, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(y) * width * 3, width * 3, image.scanLine(y));
    return image;
}

QColor textColourOn(unsigned int background)
{
    const double luma = 0.299 * qRed(background) + 0.587 * qGreen(background) + 0.114 * qBlue(background);
    return luma < 128 ? Qt::white : Qt::black;
}

} // namespace attn::widgets
