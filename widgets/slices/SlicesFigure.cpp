#include "slices/SlicesFigure.h"

#include <QPainter>

namespace attn::widgets {

SlicesFigure::SlicesFigure(VolumeState* state)
    : state_(state), axial_(state, Plane::Axial), coronal_(state, Plane::Coronal), sagittal_(state, Plane::Sagittal)
{
}

QSize SlicesFigure::figureSize() const
{
    const QSize one = axial_.figureSize();
    return {3 * one.width(), one.height()};
}

void SlicesFigure::paintFigure(QPainter& painter, const QSize& size) const
{
    const int w = size.width() / 3;
    const SliceView* views[3] = {&axial_, &coronal_, &sagittal_};
    for (int i = 0; i < 3; ++i) {
        painter.save();
        painter.translate(i * w, 0);
        painter.setClipRect(QRect(0, 0, w, size.height()));
        views[i]->paintFigure(painter, QSize(w, size.height()));
        painter.restore();
    }
}

FigureData SlicesFigure::figureData() const
{
    return axial_.figureData();
}

QString SlicesFigure::figureTitle() const
{
    return "Slices - " + state_->name();
}

} // namespace attn::widgets
