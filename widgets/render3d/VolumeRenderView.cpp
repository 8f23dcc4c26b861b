#include "render3d/VolumeRenderView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace attn::widgets {

QImage renderImage(VolumeScene& scene)
{
    const std::vector<unsigned char> rgb = scene.render();
    QImage image(scene.width(), scene.height(), QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y)
        std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(y) * image.width() * 3, image.width() * 3, image.scanLine(y));
    return image;
}

VolumeRenderView::VolumeRenderView(VolumeState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMinimumSize(160, 160);
    connect(state_, &VolumeState::volumeChanged, this, [this] {
        if (scene_)
            scene_->setVolume(state_->volume());
        renderNow();
    });
    connect(state_, &VolumeState::overlayChanged, this, [this] {
        if (scene_)
            scene_->setOverlay(state_->overlay(), state_->overlayStyle());
        renderNow();
    });
}

void VolumeRenderView::renderNow()
{
    if (!isVisible())
        return; // rendered when shown (OpenGL is only touched for a view a person can see)
    if (!state_->volume()) {
        image_ = QImage();
        update();
        return;
    }
    if (!scene_ && !volumeRenderingAvailable()) {
        image_ = QImage();
        unavailable_ = true;
        update();
        return;
    }
    if (!scene_) { // created on first use: OpenGL needs a display, which tests of other views may not have
        scene_ = std::make_unique<VolumeScene>(width(), height());
        scene_->setVolume(state_->volume());
        scene_->setPreset(preset_);
        scene_->setOverlay(state_->overlay(), state_->overlayStyle());
    }
    scene_->resize(width(), height());
    image_ = renderImage(*scene_);
    update();
}

void VolumeRenderView::setPreset(VolumePreset preset)
{
    preset_ = preset;
    if (scene_)
        scene_->setPreset(preset);
    renderNow();
}

void VolumeRenderView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::black);
    if (image_.isNull()) {
        painter.setPen(Qt::gray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         unavailable_ ? "The 3D view needs an X display (DISPLAY is not set)."
                                      : "The 3D view appears when a study is open.");
        return;
    }
    const QImage scaled = image_.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    painter.drawImage(QPoint((size.width() - scaled.width()) / 2, (size.height() - scaled.height()) / 2), scaled);
}

FigureData VolumeRenderView::figureData() const
{
    return {}; // a rendering has no data of its own: export the slices or the overlay volume
}

QString VolumeRenderView::figureTitle() const
{
    return "3D - " + state_->name();
}

void VolumeRenderView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintFigure(p, size());
}

void VolumeRenderView::resizeEvent(QResizeEvent*)
{
    renderNow();
}

void VolumeRenderView::showEvent(QShowEvent*)
{
    renderNow();
}

void VolumeRenderView::mousePressEvent(QMouseEvent* event)
{
    last_ = event->position().toPoint();
}

void VolumeRenderView::mouseMoveEvent(QMouseEvent* event)
{
    if (!scene_ || !(event->buttons() & Qt::LeftButton))
        return;
    const QPoint d = event->position().toPoint() - last_;
    last_ = event->position().toPoint();
    scene_->rotate(-d.x() * 0.5, d.y() * 0.5);
    renderNow();
}

void VolumeRenderView::mouseDoubleClickEvent(QMouseEvent*)
{
    if (scene_)
        scene_->resetCamera();
    renderNow();
}

void VolumeRenderView::wheelEvent(QWheelEvent* event)
{
    if (!scene_)
        return;
    scene_->zoom(std::pow(1.1, event->angleDelta().y() / 120.0));
    renderNow();
    event->accept();
}

} // namespace attn::widgets
