#include "slices/SlicesFigure.h"

#include "common/ColourPainting.h"

#include <QPainter>

namespace attn::widgets {

bool hasLegend(const VolumeState& state)
{
    return state.overlay() || state.labels() || state.region();
}

SlicesFigure::SlicesFigure(VolumeState* state)
    : state_(state), axial_(state, Plane::Axial), coronal_(state, Plane::Coronal), sagittal_(state, Plane::Sagittal)
{
}

QSize SlicesFigure::figureSize() const
{
    const QSize one = SliceView::planeFigureSize();
    return {3 * one.width() + (hasLegend(*state_) ? kOverlayLegendWidth : 0), one.height()};
}

void SlicesFigure::paintFigure(QPainter& painter, const QSize& size) const
{
    const int legend = hasLegend(*state_) ? kOverlayLegendWidth : 0;
    const int w = (size.width() - legend) / 3;
    const SliceView* views[3] = {&axial_, &coronal_, &sagittal_};
    for (int i = 0; i < 3; ++i) {
        painter.save();
        painter.translate(i * w, 0);
        painter.setClipRect(QRect(0, 0, w, size.height()));
        views[i]->paintPlane(painter, QSize(w, size.height()));
        painter.restore();
    }
    if (legend > 0)
        paintOverlayLegend(painter, QRectF(3 * w, 0, size.width() - 3 * w, size.height()), *state_);
}

void paintOverlayLegend(QPainter& painter, const QRectF& area, const VolumeState& state)
{
    painter.fillRect(area, Qt::white);
    const OverlayStyle& style = state.overlayStyle();
    QRectF bar(area.left() + 12, area.top() + 16, area.width() - 24, 0);
    QString text;
    if (state.overlay()) {
        bar.setHeight(std::min<qreal>(240, area.height() * (state.labels() ? 0.3 : 0.5))); // room for the labels' names
        paintColourBar(painter, bar, Colormap::byName(style.colormap.toStdString()), ColourRange{0.0, 1.0, ColourScale::Linear},
                       "attention");
        text = QString("%1, scaled to a maximum of 1; drawn from %2 with opacity %3")
                   .arg(state.overlayLabel().isEmpty() ? QString("overlay") : state.overlayLabel())
                   .arg(style.threshold, 0, 'g', 2)
                   .arg(style.opacity, 0, 'g', 2);
    }
    if (state.reference())
        text += QString("\n\nGreen outline: %1").arg(state.referenceLabel());
    if (state.region())
        text += QString("\n\nYellow box: %1").arg(state.regionLabel());
    painter.setPen(Qt::black);
    const QRectF textArea(bar.left(), bar.bottom() + 16, bar.width(), area.bottom() - bar.bottom() - 24);
    QRectF used;
    painter.drawText(textArea, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, text.trimmed(), &used);
    paintLabelLegend(painter, QRectF(textArea.left(), used.bottom() + 10, textArea.width(), textArea.bottom() - used.bottom() - 10), state);
}

void paintLabelLegend(QPainter& painter, const QRectF& area, const VolumeState& state)
{
    if (!state.labels())
        return;
    const qreal line = painter.fontMetrics().height() + 2;
    painter.setPen(Qt::black);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt::AlignLeft | Qt::AlignVCenter, "Label outlines:");
    for (int v = 1; v < state.labelNames().size() && (v + 1) * line < area.height(); ++v) {
        const QRectF row(area.left(), area.top() + v * line, area.width(), line);
        painter.fillRect(QRectF(row.left(), row.center().y() - 4, 14, 8), QColor::fromRgb(labelColour(v)));
        painter.drawText(row.adjusted(20, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, QString("%1 %2").arg(v).arg(state.labelNames()[v]));
    }
}

FigureData SlicesFigure::figureData() const
{
    return axial_.figureData();
}

QString SlicesFigure::figureTitle() const
{
    return titleFor("Slices", state_->titleName());
}

} // namespace attn::widgets
