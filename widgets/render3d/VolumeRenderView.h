#pragma once
/// @file VolumeRenderView.h
/// The 3D view: a VolumeScene (VTK, offscreen) shown as an image in a plain Qt widget (Debian's
/// VTK Qt module is Qt 5 only). Drag with the left button to rotate, wheel to zoom, double-click
/// to reset; it shows the VolumeState's volume and overlay, and exports as PNG. While the user
/// drags, zooms or moves an overlay slider it renders at half resolution, and at full resolution
/// once the events stop (ray casting in software OpenGL takes seconds per full frame).

#include "common/FigureSource.h"
#include "render3d/VolumeScene.h"
#include "slices/VolumeState.h"

#include <QImage>
#include <QTimer>
#include <QWidget>

#include <optional>

namespace attn::widgets {

/// Renders a scene and returns its pixels as an image.
QImage renderImage(VolumeScene& scene);

/// Volume rendering of the study with its overlay.
class VolumeRenderView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit VolumeRenderView(VolumeState* state, QWidget* parent = nullptr);

    /// Changes the transfer-function preset (kept for when the scene is created).
    void setPreset(VolumePreset preset);
    /// The transfer-function preset.
    VolumePreset preset() const { return preset_; }
    /// The camera of the study shown; none before the view was first shown with a study (its
    /// scene is made then), except a pose set for that study and not yet applied.
    std::optional<CameraPose> camera() const;
    /// Sets the camera for the study shown (kept until the scene exists; a session restores it).
    void setCamera(const CameraPose& pose);
    /// The image last rendered.
    const QImage& image() const { return image_; }

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    /// Creates the scene on first use and brings it up to date with the state; false (with the
    /// reason shown) when it cannot render or the view is hidden.
    bool ensureScene();
    /// Renders at this fraction of the widget's size.
    void renderAt(double fraction);
    /// Full resolution, now.
    void renderNow();
    /// Half resolution now, full resolution once no request has come for kSettleMs.
    void requestRender();
    /// The image centred in `size`, aspect kept (or the reason there is none).
    void paintImage(QPainter& painter, const QSize& size, const QImage& image) const;

    static constexpr double kInteractiveFraction = 0.5;
    static constexpr int kSettleMs = 250;
    static constexpr double kMaxExportPixels = 1200;

    VolumeState* state_;
    std::unique_ptr<VolumeScene> scene_;
    std::shared_ptr<const Volume> shownVolume_; ///< The study the scene holds.
    QImage image_;
    QPoint last_;
    QTimer settle_;
    VolumePreset preset_ = VolumePreset::Glass;
    std::optional<CameraPose> pendingCamera_;           ///< Set before the scene showed its study ...
    std::weak_ptr<const Volume> pendingCameraVolume_; ///< ... for this study.
    bool unavailable_ = false; ///< No display for OpenGL: the view says so instead of rendering.
};

} // namespace attn::widgets
