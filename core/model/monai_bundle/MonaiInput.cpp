#include "model/monai_bundle/MonaiInput.h"

#include "util/Error.h"
#include "volume/Cropping.h"
#include "volume/Orientation.h"
#include "volume/Resample.h"
#include "volume/Resize.h"

#include <algorithm>
#include <cmath>

namespace attn {

Grid monaiGrid(const Volume& v)
{
    const auto& n = v.geometry.size;
    Grid g;
    g.channels = 1;
    g.size = n;
    g.data.resize(v.values.size());
    for (int x = 0; x < n[0]; ++x)
        for (int y = 0; y < n[1]; ++y)
            for (int z = 0; z < n[2]; ++z)
                g.data[(static_cast<std::size_t>(x) * static_cast<std::size_t>(n[1]) + static_cast<std::size_t>(y)) * static_cast<std::size_t>(n[2])
                       + static_cast<std::size_t>(z)] = v.at(x, y, z);
    return g;
}

Volume gridChannel(const Grid& g, int c, const VolumeGeometry& geometry)
{
    Volume v;
    v.geometry = geometry;
    v.geometry.size = g.size;
    v.values.resize(g.positions());
    const auto& n = g.size;
    const float* channel = g.data.data() + static_cast<std::size_t>(c) * g.positions();
    for (int x = 0; x < n[0]; ++x)
        for (int y = 0; y < n[1]; ++y)
            for (int z = 0; z < n[2]; ++z)
                v.values[v.index(x, y, z)] =
                    channel[(static_cast<std::size_t>(x) * static_cast<std::size_t>(n[1]) + static_cast<std::size_t>(y)) * static_cast<std::size_t>(n[2])
                            + static_cast<std::size_t>(z)];
    return v;
}

MonaiInput::MonaiInput(MonaiPreprocessing preprocessing, std::array<int, 3> imgSize, bool region)
    : preprocessing_(std::move(preprocessing)), imgSize_(imgSize), region_(region)
{
}

namespace {

std::string sizeText(const std::array<int, 3>& s)
{
    return std::to_string(s[0]) + " x " + std::to_string(s[1]) + " x " + std::to_string(s[2]);
}

/// The preprocessed volume's voxel nearest to a study voxel (through patient space).
std::array<int, 3> voxelOnto(const VolumeGeometry& study, const std::array<int, 3>& voxel, const VolumeGeometry& onto)
{
    const Eigen::Vector3d p = onto.patientToIndex(study.indexToPatient(Eigen::Vector3d(voxel[0], voxel[1], voxel[2])));
    return {static_cast<int>(std::lround(p(0))), static_cast<int>(std::lround(p(1))), static_cast<int>(std::lround(p(2)))};
}

} // namespace

VolumeInput MonaiInput::prepare(const Volume& study, const RegionRequest& request, int inChannels, const Progress* progress) const
{
    check<FormatError>(inChannels == 1, "the network takes " + std::to_string(inChannels) + " input channels; a CT study gives one");
    VolumeInput in;
    auto whole = std::make_shared<Volume>(applyPreprocessing(preprocessing_, study, in.steps, progress));
    Volume region;
    if (region_) {
        const auto& s = study.geometry.size;
        const std::array<int, 3> centre = request.centre.value_or(std::array<int, 3>{s[0] / 2, s[1] / 2, s[2] / 2});
        const VoxelBox box = boxAround(whole->geometry, voxelOnto(study.geometry, centre, whole->geometry), imgSize_);
        region = cropBox(*whole, box);
        in.steps.push_back("region of " + sizeText(imgSize_) + " voxels centred on study voxel (" + std::to_string(centre[0]) + ", "
                           + std::to_string(centre[1]) + ", " + std::to_string(centre[2]) + "), zero beyond the study");
    } else if (whole->geometry.size != imgSize_) {
        in.steps.push_back("resized from " + sizeText(whole->geometry.size) + " to img_size " + sizeText(imgSize_)
                           + " (trilinear) by attnscope: the bundle's preprocessing does not give img_size");
        region = resizeVolume(*whole, imgSize_, "trilinear");
    } else {
        region = *whole;
    }
    in.geometry = region.geometry;
    in.grid = monaiGrid(region);
    if (region_ && request.slidingWindow)
        in.preprocessed = std::move(whole);
    return in;
}

double MonaiInput::largestVoxels(const VolumeGeometry& study) const
{
    std::array<double, 3> size{double(study.size[0]), double(study.size[1]), double(study.size[2])};
    std::array<double, 3> spacing{study.spacing[0], study.spacing[1], study.spacing[2]};
    double largest = size[0] * size[1] * size[2];
    for (const MonaiStep& s : preprocessing_.steps) {
        for (std::size_t a = 0; a < 3; ++a) {
            if (s.kind == MonaiStep::Kind::Spacing && s.pixdim[a] > 0) {
                size[a] = std::floor((size[a] - 1) * spacing[a] / s.pixdim[a] + 1.5);
                spacing[a] = s.pixdim[a];
            }
            if ((s.kind == MonaiStep::Kind::Resize || s.kind == MonaiStep::Kind::ResizeWithPadOrCrop) && s.size[a] > 0)
                size[a] = s.size[a];
            if (s.kind == MonaiStep::Kind::SpatialPad && s.size[a] > 0)
                size[a] = std::max(size[a], static_cast<double>(s.size[a]));
        }
        largest = std::max(largest, size[0] * size[1] * size[2]);
    }
    return largest;
}

void MonaiInput::plan(MemoryPlan& plan, const VolumeGeometry& study) const
{
    const double largest = largestVoxels(study);
    const double region = double(imgSize_[0]) * imgSize_[1] * imgSize_[2];
    plan.add("the study through the bundle's preprocessing", static_cast<std::size_t>((2 * largest + 2 * region) * sizeof(float)),
             "a smaller study, or coarser spacing in the bundle, would fit");
}

std::optional<VolumeGeometry> MonaiInput::regionAround(const VolumeGeometry& study, const std::array<int, 3>& centre) const
{
    if (!region_)
        return std::nullopt;
    VolumeGeometry g = study;
    for (const MonaiStep& s : preprocessing_.steps) {
        if (s.kind == MonaiStep::Kind::Orientation)
            g = reorientedGeometry(g, s.axcodes);
        for (std::size_t a = 0; a < 3 && s.kind == MonaiStep::Kind::Spacing; ++a)
            if (s.pixdim[a] > 0) {
                g.size[a] = std::max(1, static_cast<int>(std::nearbyint((g.size[a] - 1) * g.spacing[static_cast<Eigen::Index>(a)] / s.pixdim[a] + 1)));
                g.spacing[static_cast<Eigen::Index>(a)] = s.pixdim[a];
            }
        if (s.kind == MonaiStep::Kind::Resize) {
            std::array<int, 3> size = s.size;
            for (std::size_t a = 0; a < 3; ++a)
                size[a] = size[a] > 0 ? size[a] : g.size[a];
            g = resampledGeometry(g, size);
        }
        g = geometryAfter(s, g);
    }
    const VoxelBox box = boxAround(g, voxelOnto(study, centre, g), imgSize_);
    VolumeGeometry r = g;
    r.size = box.size;
    r.origin = g.indexToPatient(Eigen::Vector3d(box.start[0], box.start[1], box.start[2]));
    return r;
}

std::vector<std::string> MonaiInput::describe() const
{
    std::vector<std::string> lines = preprocessing_.describe();
    lines.push_back(region_ ? "then: a region of " + sizeText(imgSize_) + " voxels placed by the user (the study's centre by default)"
                            : "then: resized to img_size " + sizeText(imgSize_) + " (trilinear) if the steps above do not give it");
    return lines;
}

PatchLayout vitPatchLayout(const VitConfig& c)
{
    PatchLayout layout;
    layout.grid = c.patchGrid();
    for (std::size_t a = 0; a < 3; ++a)
        layout.axes[a] = {c.patchSize[a], (c.patchSize[a] - 1) / 2.0, c.patchSize[a]};
    layout.firstAxisFastest = false;
    layout.firstImageToken = c.classification ? 1 : 0;
    return layout;
}

} // namespace attn
