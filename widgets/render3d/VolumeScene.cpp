#include "render3d/VolumeScene.h"

#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFloatArray.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkImageData.h>
#include <vtkMatrix3x3.h>
#include <vtkNew.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include "render/Colormap.h"
#include "render3d/OffscreenRender.h"
#include "volume/Resample.h"

#include <X11/Xlib.h>

#include <algorithm>
#include <limits>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>

namespace attn::widgets {

/// One image with one component (HU) or two (HU, overlay) on the same grid: the ray caster
/// samples both at every step and composites them together, so the overlay sits at its depth
/// among the anatomy (two separate volumes would be drawn one over the other).
struct VolumeScene::Impl {
    DisplayConnection connection; ///< Declared first: destroyed after the window that uses it.
    vtkNew<vtkRenderWindow> window;
    vtkNew<vtkRenderer> renderer;
    vtkNew<vtkImageData> image;
    vtkNew<vtkGPUVolumeRayCastMapper> mapper;
    vtkNew<vtkVolume> actor;
    vtkNew<vtkVolumeProperty> property;
    std::shared_ptr<const Volume> volume, overlay;
    int components = 0; ///< Of the image last uploaded.
    Volume coarse;                   ///< A large study's coarser copy that is rendered ...
    std::shared_ptr<const Volume> coarseOf; ///< ... and the study it was made from.
    int width = 0, height = 0;
};

namespace {

/// The overlay's opacity is per an eighth of the study's smallest extent (at least 3 mm; VTK's
/// default is 1): attention overlays are smooth over centimetres, and a diffuse one filling a
/// head must leave the anatomy visible through it, not turn it into an opaque block.
double overlayOpacityDistanceMm(const Volume* volume)
{
    if (!volume)
        return 3.0;
    const auto& g = volume->geometry;
    double smallest = std::numeric_limits<double>::infinity();
    for (int a = 0; a < 3; ++a)
        smallest = std::min(smallest, g.size[static_cast<std::size_t>(a)] * g.spacing(a));
    return std::max(3.0, smallest / 8.0);
}

/// Larger studies are rendered from a trilinear copy of about this many voxels over the same
/// extent (256^3: a 512 x 512 x 300 CT would otherwise take 630 MB in VTK and on the GPU).
constexpr std::size_t kMaxRenderedVoxels = std::size_t{256} * 256 * 256;

/// Copies a volume (and an overlay on its grid, as a second component) into VTK image data with
/// its patient geometry (origin, spacing, direction).
void fill(vtkImageData* image, const Volume& v, const Volume* overlay)
{
    const auto& g = v.geometry;
    image->SetDimensions(g.size[0], g.size[1], g.size[2]);
    image->SetSpacing(g.spacing.x(), g.spacing.y(), g.spacing.z());
    image->SetOrigin(g.origin.x(), g.origin.y(), g.origin.z());
    double d[9];
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            d[r * 3 + c] = g.direction(r, c);
    image->SetDirectionMatrix(d);
    const int components = overlay ? 2 : 1;
    vtkNew<vtkFloatArray> values;
    values->SetNumberOfComponents(components);
    values->SetNumberOfTuples(static_cast<vtkIdType>(v.values.size()));
    float* out = values->GetPointer(0);
    for (std::size_t i = 0; i < v.values.size(); ++i) {
        out[i * static_cast<std::size_t>(components)] = v.values[i];
        if (overlay)
            out[i * 2 + 1] = overlay->values[i];
    }
    image->GetPointData()->SetScalars(values);
}

/// The overlay's transfer functions on component 1, in the slices' colormap above the threshold.
void applyOverlayStyle(vtkVolumeProperty* p, const OverlayStyle& style, double unitMm)
{
    const Colormap map = Colormap::byName(style.colormap.toStdString());
    const double low = std::clamp(style.threshold, 0.0, 0.999);
    vtkNew<vtkColorTransferFunction> colour;
    vtkNew<vtkPiecewiseFunction> alpha;
    alpha->AddPoint(0.0, 0.0);
    for (int i = 0; i <= 16; ++i) { // the colormap sampled over [threshold, 1], as the slices map value v to map.at(v)
        const double v = low + (1.0 - low) * i / 16.0;
        const Rgb c = map.at(v);
        colour->AddRGBPoint(v, c.r / 255.0, c.g / 255.0, c.b / 255.0);
    }
    alpha->AddPoint(low, 0.0); // rising slowly, so that rays reach the high core through the low rim
    alpha->AddPoint(low + 0.5 * (1.0 - low), 0.3 * style.opacity);
    alpha->AddPoint(1.0, style.opacity);
    p->SetColor(1, colour);
    p->SetScalarOpacity(1, alpha);
    p->SetScalarOpacityUnitDistance(1, unitMm);
    p->SetShade(1, 0);
    // VTK 9.1's ray caster lights every component when component 0 is shaded (it reads
    // GetShade() of component 0 only): full ambient and no diffuse or specular light leave the
    // overlay's colours as the colormap gives them
    p->SetAmbient(1, 1.0);
    p->SetDiffuse(1, 0.0);
    p->SetSpecular(1, 0.0);
}

/// A preset's transfer functions over HU: colour points (HU, r, g, b) and opacity points
/// (HU, opacity), and whether it is shaded.
struct PresetTable {
    std::vector<std::array<double, 4>> colour;
    std::vector<std::array<double, 2>> opacity;
    bool shaded = true;
};

const PresetTable& presetTable(VolumePreset preset)
{
    static const std::map<VolumePreset, PresetTable> tables{
        // faint, unshaded bone and skin, like a radiograph, so that an overlay inside shows through
        // (unshaded it also renders about 3x faster in software OpenGL)
        {VolumePreset::Glass,
         {{{-1000, 0, 0, 0}, {-300, 0.55, 0.6, 0.7}, {300, 0.8, 0.85, 0.9}, {1500, 1, 1, 1}},
          {{-1000, 0}, {-400, 0}, {-300, 0.006}, {150, 0}, {300, 0.015}, {1500, 0.05}},
          false}},
        {VolumePreset::Bone,
         {{{-1000, 0, 0, 0}, {150, 0.73, 0.25, 0.30}, {400, 0.91, 0.82, 0.55}, {1500, 1, 1, 0.95}},
          {{-1000, 0}, {150, 0}, {300, 0.35}, {1500, 0.85}}}},
        {VolumePreset::SoftTissue,
         {{{-1000, 0, 0, 0}, {-100, 0.62, 0.36, 0.18}, {80, 0.88, 0.60, 0.29}, {400, 1, 0.94, 0.95}},
          {{-1000, 0}, {-150, 0}, {20, 0.12}, {400, 0.6}}}},
        {VolumePreset::Skin,
         {{{-1000, 0, 0, 0}, {-500, 0.9, 0.7, 0.6}, {500, 1, 0.9, 0.8}},
          {{-1000, 0}, {-600, 0}, {-400, 0.6}, {500, 0.9}}}},
    };
    return tables.at(preset);
}

/// The preset's transfer functions on component 0 (the study's HU).
void applyPreset(vtkVolumeProperty* p, VolumePreset preset)
{
    const PresetTable& table = presetTable(preset);
    vtkNew<vtkColorTransferFunction> colour;
    for (const auto& [hu, r, g, b] : table.colour)
        colour->AddRGBPoint(hu, r, g, b);
    vtkNew<vtkPiecewiseFunction> opacity;
    for (const auto& [hu, a] : table.opacity)
        opacity->AddPoint(hu, a);
    p->SetColor(0, colour);
    p->SetScalarOpacity(0, opacity);
    p->SetShade(0, table.shaded ? 1 : 0);
}

} // namespace

bool volumeRenderingAvailable()
{
    static const bool available = [] { // VTK aborts the process when it cannot open the display
        Display* display = openDisplayPatiently();
        if (display)
            XCloseDisplay(display);
        return display != nullptr;
    }();
    return available;
}

const std::vector<std::pair<VolumePreset, std::string>>& volumePresets()
{
    static const std::vector<std::pair<VolumePreset, std::string>> presets{
        {VolumePreset::Glass, "glass"}, {VolumePreset::Bone, "bone"}, {VolumePreset::SoftTissue, "soft-tissue"},
        {VolumePreset::Skin, "skin"}};
    return presets;
}

VolumeScene::VolumeScene(int width, int height) : impl_(std::make_unique<Impl>())
{
    useOffscreen(impl_->window, impl_->connection);
    impl_->window->AddRenderer(impl_->renderer);
    impl_->renderer->SetBackground(0.08, 0.08, 0.1);
    impl_->mapper->SetInputData(impl_->image);
    impl_->actor->SetMapper(impl_->mapper);
    impl_->actor->SetProperty(impl_->property);
    impl_->property->SetIndependentComponents(1);
    impl_->property->SetInterpolationTypeToLinear();
    applyPreset(impl_->property, VolumePreset::Glass);
    applyOverlayStyle(impl_->property, OverlayStyle{}, overlayOpacityDistanceMm(nullptr));
    resize(width, height);
}

VolumeScene::~VolumeScene() = default;

void VolumeScene::upload()
{
    impl_->renderer->RemoveAllViewProps();
    if (!impl_->volume)
        return;
    const bool overlay = impl_->overlay && impl_->overlay->geometry.size == impl_->volume->geometry.size;
    const VolumeGeometry& g = impl_->volume->geometry;
    if (g.voxels() > kMaxRenderedVoxels) { // rendered from a coarser copy over the same extent
        const double f = std::cbrt(static_cast<double>(kMaxRenderedVoxels) / static_cast<double>(g.voxels()));
        std::array<int, 3> size{};
        for (std::size_t a = 0; a < 3; ++a)
            size[a] = std::max(2, static_cast<int>(g.size[a] * f));
        if (impl_->coarseOf != impl_->volume) { // the study's copy is kept for its next overlays
            impl_->coarse = resampleTrilinear(*impl_->volume, size);
            impl_->coarseOf = impl_->volume;
        }
        const Volume coarseOverlay = overlay ? resampleTrilinear(*impl_->overlay, size) : Volume{};
        fill(impl_->image, impl_->coarse, overlay ? &coarseOverlay : nullptr);
    } else {
        fill(impl_->image, *impl_->volume, overlay ? impl_->overlay.get() : nullptr);
    }
    const int components = overlay ? 2 : 1;
    if (components != impl_->components) { // the ray caster's shader and tables follow the property,
        impl_->components = components;    // not the input's component count
        impl_->property->Modified();
        impl_->mapper->Modified();
    }
    impl_->image->Modified();
    impl_->renderer->AddVolume(impl_->actor);
}

void VolumeScene::setVolume(std::shared_ptr<const Volume> volume)
{
    impl_->volume = std::move(volume);
    impl_->overlay.reset(); // an overlay belongs to its volume
    upload();
    if (impl_->volume)
        resetCamera();
}

void VolumeScene::setOverlay(std::shared_ptr<const Volume> overlay, const OverlayStyle& style)
{
    applyOverlayStyle(impl_->property, style, overlayOpacityDistanceMm(impl_->volume.get()));
    if (overlay == impl_->overlay)
        return; // only the style changed: no new upload
    impl_->overlay = std::move(overlay);
    upload();
}

void VolumeScene::setPreset(VolumePreset preset)
{
    applyPreset(impl_->property, preset);
}

void VolumeScene::resetCamera()
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    c->SetFocalPoint(0, 0, 0);
    c->SetPosition(0, -1, 0); // LPS: anterior is -y; look from the front
    c->SetViewUp(0, 0, 1);    // superior up
    impl_->renderer->ResetCamera();
    c->Zoom(1.6); // ResetCamera frames the bounding sphere: the head then fills a third of the view
}

CameraPose VolumeScene::camera() const
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    CameraPose pose;
    c->GetPosition(pose.position.data());
    c->GetFocalPoint(pose.focalPoint.data());
    c->GetViewUp(pose.viewUp.data());
    pose.viewAngle = c->GetViewAngle();
    return pose;
}

void VolumeScene::setCamera(const CameraPose& pose)
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    c->SetPosition(pose.position.data());
    c->SetFocalPoint(pose.focalPoint.data());
    c->SetViewUp(pose.viewUp.data());
    c->SetViewAngle(pose.viewAngle);
    c->OrthogonalizeViewUp();
    impl_->renderer->ResetCameraClippingRange();
}

void VolumeScene::rotate(double azimuth, double elevation)
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    c->Azimuth(azimuth);
    c->Elevation(elevation);
    c->OrthogonalizeViewUp();
    impl_->renderer->ResetCameraClippingRange();
}

void VolumeScene::zoom(double factor)
{
    impl_->renderer->GetActiveCamera()->Zoom(factor);
}

void VolumeScene::resize(int width, int height)
{
    impl_->width = std::max(16, width);
    impl_->height = std::max(16, height);
    impl_->window->SetSize(impl_->width, impl_->height);
}

std::vector<unsigned char> VolumeScene::render()
{
    return renderRgb(impl_->window, impl_->width, impl_->height);
}

int VolumeScene::width() const
{
    return impl_->width;
}

int VolumeScene::height() const
{
    return impl_->height;
}

} // namespace attn::widgets
