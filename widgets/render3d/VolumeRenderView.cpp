#include "render3d/VolumeRenderView.h"

#include "common/ColourPainting.h"

#include <QMouseEvent>
#include <QTimer>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {

QImage renderImage(VolumeScene& scene)
{
    const std::vector<unsigned char> rgb = scene.render();
    return rgbImage(rgb, scene.width(), scene.height());
}

VolumeRenderView::VolumeRenderView(VolumeState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMinimumSize(160, 160);
    settle_.setSingleShot(true);
    settle_.setInterval(kSettleMs);
    connect(&settle_, &QTimer::timeout, this, &VolumeRenderView::renderNow);
    // the scene follows the state when it renders (sync()), so a hidden view does no work
    connect(state_, &VolumeState::volumeChanged, this, &VolumeRenderView::renderNow);
    connect(state_, &VolumeState::overlayChanged, this, &VolumeRenderView::requestRender); // sliders send many
}

bool VolumeRenderView::ensureScene()
{
    if (!isVisible())
        return false; // rendered when shown (OpenGL is only touched for a view a person can see)
    if (!state_->volume() || (!scene_ && !volumeRenderingAvailable())) {
        unavailable_ = state_->volume() != nullptr;
        image_ = QImage();
        update();
        return false;
    }
    if (!scene_) { // created on first use: OpenGL needs a display, which tests of other views may not have
        scene_ = std::make_unique<VolumeScene>(width(), height());
        scene_->setPreset(preset_);
    }
    if (shownVolume_ != state_->volume()) { // a new study: new camera, no overlay yet
        shownVolume_ = state_->volume();
        scene_->setVolume(shownVolume_);
    }
    if (pendingCamera_ && pendingCameraVolume_.lock() == shownVolume_)
        scene_->setCamera(*pendingCamera_);
    pendingCamera_.reset();
    scene_->setOverlay(state_->overlay(), state_->overlayStyle()); // uploads only a new overlay
    return true;
}

void VolumeRenderView::renderAt(double fraction)
{
    if (!ensureScene())
        return;
    scene_->resize(std::max(16, static_cast<int>(width() * fraction)), std::max(16, static_cast<int>(height() * fraction)));
    image_ = renderImage(*scene_);
    update();
}

void VolumeRenderView::renderNow()
{
    settle_.stop();
    renderAt(1.0);
}

void VolumeRenderView::requestRender()
{
    renderAt(kInteractiveFraction);
    settle_.start();
}

std::optional<CameraPose> VolumeRenderView::camera() const
{
    if (scene_ && shownVolume_ && shownVolume_ == state_->volume())
        return scene_->camera();
    if (pendingCamera_ && pendingCameraVolume_.lock() == state_->volume())
        return pendingCamera_;
    return std::nullopt;
}

void VolumeRenderView::setCamera(const CameraPose& pose)
{
    pendingCamera_ = pose;
    pendingCameraVolume_ = state_->volume();
    renderNow(); // applies it when the scene can show the study, else keeps it
}

void VolumeRenderView::setPreset(VolumePreset preset)
{
    preset_ = preset;
    if (scene_)
        scene_->setPreset(preset);
    renderNow();
}

void VolumeRenderView::paintImage(QPainter& painter, const QSize& size, const QImage& image) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::black);
    if (image.isNull()) {
        painter.setPen(Qt::gray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         unavailable_ ? "The 3D view needs an X display (DISPLAY is not set)."
                                      : "The 3D view appears when a study is open.");
        return;
    }
    const QSizeF shown = QSizeF(image.size()).scaled(QSizeF(size), Qt::KeepAspectRatio);
    const QRectF target(QPointF((size.width() - shown.width()) / 2, (size.height() - shown.height()) / 2), shown);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, image);
}

QSize VolumeRenderView::figureSize() const
{
    // 600 pixels wide at 96 DPI, with the widget's aspect (the framing the user sees)
    const double aspect = width() > 0 && height() > 0 ? static_cast<double>(height()) / width() : 1.0;
    return {600, std::max(60, static_cast<int>(std::lround(600 * aspect)))};
}

void VolumeRenderView::paintFigure(QPainter& painter, const QSize& size) const
{
    // a figure is rendered anew from the same camera at the pixels it is exported at (a PNG at
    // 300 DPI is 3x the figure), up to kMaxExportPixels on its longer side (software OpenGL takes
    // about 40 s for 1200 x 1200); QPainter scales beyond that
    QImage image = image_;
    if (scene_ && !image_.isNull()) {
        const double scale = std::clamp(painter.deviceTransform().m11(), 1.0, 8.0);
        const double fit = std::min(1.0, kMaxExportPixels / (std::max(size.width(), size.height()) * scale));
        scene_->resize(static_cast<int>(std::lround(size.width() * scale * fit)), static_cast<int>(std::lround(size.height() * scale * fit)));
        image = renderImage(*scene_);
        scene_->resize(image_.width(), image_.height());
    }
    paintImage(painter, size, image);
}

FigureData VolumeRenderView::figureData() const
{
    return {}; // a rendering has no data of its own: export the slices or the overlay volume
}

QString VolumeRenderView::figureTitle() const
{
    return titleFor("3D", state_->titleName());
}

void VolumeRenderView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintImage(p, size(), image_); // the last rendering as it is (rendering happens on changes, not on paints)
}

void VolumeRenderView::resizeEvent(QResizeEvent*)
{
    settle_.start(); // the old image, scaled, until the size settles (a splitter drag sends many)
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
    requestRender();
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
    requestRender();
    event->accept();
}

} // namespace attn::widgets
