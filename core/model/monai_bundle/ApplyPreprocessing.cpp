// What each preprocessing step of a bundle says and does (BundlePreprocessing.h).

#include "model/monai_bundle/BundlePreprocessing.h"

#include "util/Error.h"
#include "volume/Cropping.h"
#include "volume/Orientation.h"
#include "volume/Resize.h"
#include "volume/Respacing.h"

#include <algorithm>
#include <sstream>

namespace attn {
namespace {

template <class T>
std::string listText(const std::array<T, 3>& v)
{
    std::ostringstream s;
    s << v[0] << " x " << v[1] << " x " << v[2];
    return s.str();
}

/// ScaleIntensityRange as MONAI computes it on float32 values: (x - a_min) / (a_max - a_min), then
/// * (b_max - b_min) + b_min when both are given, then clipped to them when `clip`.
void scaleIntensity(Volume& v, const MonaiStep& s)
{
    const auto aMin = static_cast<float>(s.aMin), span = static_cast<float>(s.aMax - s.aMin);
    const bool scale = s.bMin && s.bMax;
    const float bMin = scale ? static_cast<float>(*s.bMin) : 0.0f, bSpan = scale ? static_cast<float>(*s.bMax - *s.bMin) : 1.0f;
    for (float& x : v.values) {
        x = span == 0.0f ? x - aMin + bMin : (x - aMin) / span;
        if (scale && span != 0.0f)
            x = x * bSpan + bMin;
        if (s.clip && scale)
            x = std::clamp(x, bMin, static_cast<float>(*s.bMax));
    }
}

Volume cropForeground(const Volume& v, const MonaiStep& s)
{
    const VoxelBox box = foregroundBox(v, s.margin, s.kDivisible, s.allowSmaller);
    check<FormatError>(box.size[0] > 0, s.name + ": no voxel of the study is above 0 after the steps before it, so there is no foreground to crop to");
    return cropBox(v, box);
}

Volume resize(const Volume& v, const MonaiStep& s)
{
    std::array<int, 3> size = s.size;
    for (std::size_t a = 0; a < 3; ++a)
        if (size[a] <= 0)
            size[a] = v.geometry.size[a];
    return resizeVolume(v, size, s.mode);
}

/// CenterSpatialCrop: the box of the size around the centre (start n / 2 - s / 2), inside the volume.
VoxelBox centreCropBox(const VolumeGeometry& g, const std::array<int, 3>& size)
{
    VoxelBox box;
    for (std::size_t a = 0; a < 3; ++a) {
        const int n = g.size[a], s = size[a] > 0 ? size[a] : n;
        box.start[a] = std::max(n / 2 - s / 2, 0);
        box.size[a] = std::min(s, n - box.start[a]);
    }
    return box;
}

/// SpatialPad with zeros to at least the size: half the padding before (symmetric), or all after.
VoxelBox padBox(const VolumeGeometry& g, const std::array<int, 3>& size, bool atEnd)
{
    VoxelBox box;
    for (std::size_t a = 0; a < 3; ++a) {
        const int n = g.size[a], width = std::max((size[a] > 0 ? size[a] : n) - n, 0);
        box.start[a] = atEnd ? 0 : -(width / 2);
        box.size[a] = n + width;
    }
    return box;
}

Volume apply(const MonaiStep& s, Volume v, const Progress* progress)
{
    switch (s.kind) {
    case MonaiStep::Kind::Orientation: return reorient(v, s.axcodes);
    case MonaiStep::Kind::Spacing: return resampleToSpacing(v, s.pixdim, progress);
    case MonaiStep::Kind::ScaleIntensityRange: scaleIntensity(v, s); return v;
    case MonaiStep::Kind::CropForeground: return cropForeground(v, s);
    case MonaiStep::Kind::Resize: return resize(v, s);
    case MonaiStep::Kind::CenterSpatialCrop: return cropBox(v, centreCropBox(v.geometry, s.size));
    case MonaiStep::Kind::SpatialPad: return cropBox(v, padBox(v.geometry, s.size, s.padAtEnd));
    case MonaiStep::Kind::ResizeWithPadOrCrop: {
        const Volume cut = cropBox(v, centreCropBox(v.geometry, s.size));
        return cropBox(cut, padBox(cut.geometry, s.size, s.padAtEnd));
    }
    }
    return v;
}

} // namespace

VolumeGeometry geometryAfter(const MonaiStep& s, const VolumeGeometry& g)
{
    const auto boxed = [](const VolumeGeometry& in, const VoxelBox& box) {
        VolumeGeometry out = in;
        out.size = box.size;
        out.origin = in.indexToPatient(Eigen::Vector3d(box.start[0], box.start[1], box.start[2]));
        return out;
    };
    switch (s.kind) {
    case MonaiStep::Kind::CenterSpatialCrop: return boxed(g, centreCropBox(g, s.size));
    case MonaiStep::Kind::SpatialPad: return boxed(g, padBox(g, s.size, s.padAtEnd));
    case MonaiStep::Kind::ResizeWithPadOrCrop: {
        const VolumeGeometry cut = boxed(g, centreCropBox(g, s.size));
        return boxed(cut, padBox(cut, s.size, s.padAtEnd));
    }
    default: return g;
    }
}

std::string MonaiStep::describe() const
{
    std::ostringstream s;
    s << name << ": ";
    switch (kind) {
    case Kind::Orientation: s << "axes reoriented to " << axcodes; break;
    case Kind::Spacing: s << "resampled to " << listText(pixdim) << " mm (bilinear, border)"; break;
    case Kind::ScaleIntensityRange:
        s << "intensities [" << aMin << ", " << aMax << "]";
        if (bMin && bMax)
            s << " to [" << *bMin << ", " << *bMax << "]" << (clip ? ", clipped" : "");
        break;
    case Kind::CropForeground:
        s << "cropped to the voxels above 0, margin " << listText(margin) << ", multiples of " << listText(kDivisible)
          << (allowSmaller ? ", inside the study" : ", padded beyond the study if needed");
        break;
    case Kind::Resize: s << "resized to " << listText(size) << " (" << mode << ")"; break;
    case Kind::CenterSpatialCrop: s << "the central " << listText(size) << " voxels"; break;
    case Kind::SpatialPad: s << "padded with zeros to " << listText(size) << (padAtEnd ? " (after)" : " (both sides)"); break;
    case Kind::ResizeWithPadOrCrop: s << "cropped around the centre, then padded with zeros, to " << listText(size); break;
    }
    return s.str();
}

std::vector<std::string> MonaiPreprocessing::describe() const
{
    std::vector<std::string> lines;
    for (const MonaiStep& s : steps)
        lines.push_back("applied: " + s.describe());
    for (const std::string& r : byReader)
        lines.push_back("reading: " + r);
    for (const std::string& n : notApplied)
        lines.push_back("not applied: " + n);
    return lines;
}

Volume applyPreprocessing(const MonaiPreprocessing& p, const Volume& study, std::vector<std::string>& done, const Progress* progress)
{
    Volume v = study;
    for (const MonaiStep& s : p.steps) {
        v = apply(s, std::move(v), progress);
        done.push_back(s.describe() + " (" + listText(v.geometry.size) + " voxels)");
    }
    return v;
}

} // namespace attn
