#pragma once
/// @file VolumeScene.h
/// The 3D scene: a CT volume rendered by VTK's GPU ray caster with a transfer-function preset,
/// and the attention overlay as its own coloured, semi-transparent component on the same grid,
/// drawn offscreen into RGB pixels. A plain class (VTK stays in its .cpp): the Qt view shows its
/// pixels, the tests and the CLI render it the same way. Needs an X display (Xvfb) for OpenGL.

#include "slices/VolumeState.h"
#include "volume/VolumeGeometry.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace attn::widgets {

/// Transfer-function presets for CT (HU). Glass (the default) draws bone and skin faintly, so
/// that an attention overlay inside the head shows through them.
enum class VolumePreset { Glass, Bone, SoftTissue, Skin };

/// True when OpenGL rendering can start: VTK's X11 render window needs an X display that
/// opens (DISPLAY set and reachable; Xvfb on a server). Without one VTK would abort the
/// process. Probed once per process.
bool volumeRenderingAvailable();

/// Every preset with its name ("glass", "bone", "soft-tissue", "skin"), in menu order.
const std::vector<std::pair<VolumePreset, std::string>>& volumePresets();

/// Where the camera is, in patient space (LPS, mm): a session keeps it.
struct CameraPose {
    std::array<double, 3> position{};
    std::array<double, 3> focalPoint{};
    std::array<double, 3> viewUp{};
    double viewAngle = 30.0; ///< Vertical view angle, degrees (zooming narrows it).
};

/// An offscreen VTK volume rendering.
class VolumeScene {
public:
    VolumeScene(int width, int height);
    ~VolumeScene();
    VolumeScene(const VolumeScene&) = delete;
    VolumeScene& operator=(const VolumeScene&) = delete;

    /// The volume to render (HU), placed in patient space by its geometry.
    void setVolume(std::shared_ptr<const Volume> volume);
    /// The overlay (values 0..1 on the volume's grid) shown as a second component of the same
    /// rendering, in the style the slices use: the colormap over [threshold, 1], transparent
    /// below the threshold, opacity rising to style.opacity at 1. Null: none. The same overlay
    /// again with another style only changes the transfer functions (nothing is re-uploaded).
    void setOverlay(std::shared_ptr<const Volume> overlay, const OverlayStyle& style);
    /// Chooses the transfer function.
    void setPreset(VolumePreset preset);
    /// Rotates the camera about the volume's centre (degrees) and zooms (factor > 1: closer).
    void rotate(double azimuth, double elevation);
    void zoom(double factor);
    /// Puts the camera back in front of the patient (anterior view, superior up).
    void resetCamera();
    /// The camera now, and setting it (a restored session).
    CameraPose camera() const;
    void setCamera(const CameraPose& pose);
    /// Changes the image size.
    void resize(int width, int height);
    /// Renders and returns width x height RGB pixels, rows from the top.
    std::vector<unsigned char> render();
    int width() const;
    int height() const;

private:
    void upload();

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace attn::widgets
