#include "dicom/DicomSegmentation.h"

#include "util/Error.h"
#include "util/MemoryPlan.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what)
{
    throw DicomError(path + ": " + what);
}

/// The slice step along the normal: SpacingBetweenSlices; else SliceThickness when every
/// distance between distinct frame positions is a whole multiple of it (writers leave out the
/// empty frames, so the smallest distance may span several slices); else that smallest
/// distance; else 1 mm.
double sliceStep(const DicomHeader& h, const std::vector<double>& keys)
{
    if (h.spacingBetweenSlices > 0)
        return h.spacingBetweenSlices;
    double smallest = 0;
    bool multiples = h.sliceThickness > 0;
    for (std::size_t i = 1; i < keys.size(); ++i) {
        const double d = keys[i] - keys[i - 1];
        if (d <= 1e-3)
            continue;
        smallest = smallest == 0 ? d : std::min(smallest, d);
        if (h.sliceThickness > 0)
            multiples = multiples && std::abs(d / h.sliceThickness - std::round(d / h.sliceThickness)) < 0.05;
    }
    if (multiples)
        return h.sliceThickness;
    return smallest > 0 ? smallest : h.sliceThickness > 0 ? h.sliceThickness : 1.0;
}

/// The SEG's grid, and the slice of each frame on it.
VolumeGeometry segmentationGrid(const DicomHeader& h, std::vector<int>& frameSlice)
{
    if (!h.orientation || !h.pixelSpacing || h.framePositions.size() != static_cast<std::size_t>(h.frames))
        fail(h.path, "a segmentation without ImageOrientationPatient, PixelSpacing and every frame's ImagePositionPatient "
                     "cannot be placed on a study");
    const auto [row, column, normal] = orientationAxes(*h.orientation);
    std::vector<double> keys;
    for (const Eigen::Vector3d& p : h.framePositions)
        keys.push_back(normal.dot(p));
    std::vector<double> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    const double step = sliceStep(h, sorted);
    const double first = sorted.front();
    const double slices = std::round((sorted.back() - first) / step) + 1;
    // A file's positions are claims too: a grid far larger than the frames it has is refused.
    if (!std::isfinite(slices) || slices > 4.0 * h.frames + 1024)
        fail(h.path, "its frame positions span " + std::to_string(sorted.back() - first) + " mm in steps of "
                         + std::to_string(step) + " mm: far more slices than its " + std::to_string(h.frames) + " frames");
    const std::size_t origin = static_cast<std::size_t>(std::min_element(keys.begin(), keys.end()) - keys.begin());
    for (std::size_t f = 0; f < keys.size(); ++f) {
        const double index = (keys[f] - first) / step;
        if (std::abs(index - std::round(index)) > 0.1)
            fail(h.path, "frame " + std::to_string(f + 1) + " lies between the slices of the others' regular "
                             + std::to_string(step) + " mm step");
        const Eigen::Vector3d inPlane = h.framePositions[f] - h.framePositions[origin] - normal * (keys[f] - first);
        if (inPlane.norm() > 0.01 * std::max(h.pixelSpacing->at(0), h.pixelSpacing->at(1)) + 1e-3)
            fail(h.path, "frame " + std::to_string(f + 1) + " is shifted within its plane from the others: not one grid");
        frameSlice.push_back(static_cast<int>(std::lround(index)));
    }
    VolumeGeometry g;
    g.size = {h.columns, h.rows, static_cast<int>(slices)};
    g.origin = h.framePositions[origin];
    g.direction.col(0) = row;
    g.direction.col(1) = column;
    g.direction.col(2) = normal;
    g.spacing = Eigen::Vector3d((*h.pixelSpacing)[1], (*h.pixelSpacing)[0], step);
    return g;
}

DicomSegmentInfo chosenSegment(const DicomHeader& h, int number)
{
    if (h.segments.empty())
        fail(h.path, "a segmentation whose SegmentSequence defines no segment");
    if (number == 0)
        return h.segments.front();
    const auto it = std::find_if(h.segments.begin(), h.segments.end(), [&](const DicomSegmentInfo& s) { return s.number == number; });
    if (it == h.segments.end()) {
        std::string known;
        for (const DicomSegmentInfo& s : h.segments)
            known += (known.empty() ? "" : ", ") + std::to_string(s.number) + (s.label.empty() ? "" : " (" + s.label + ")");
        fail(h.path, "has no segment " + std::to_string(number) + "; its segments are " + known);
    }
    return *it;
}

} // namespace

SegmentMask readSegmentMask(const DicomHeader& h, int number)
{
    if (!isSegmentation(h))
        fail(h.path, "not a DICOM segmentation (SEG)");
    SegmentMask out;
    out.segment = chosenSegment(h, number);
    std::vector<int> frameSlice;
    out.mask.geometry = segmentationGrid(h, frameSlice);
    const std::size_t plane = static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.columns);
    MemoryPlan memory(h.path + ": reading segment " + std::to_string(out.segment.number));
    memory.add("frames decoded", plane * static_cast<std::size_t>(h.frames) * sizeof(float));
    memory.add("the segment's mask", out.mask.geometry.voxels() * sizeof(float));
    memory.check(0); // half of this machine's memory, before either is allocated
    const std::vector<float> pixels = readDicomPixels(h);
    const float scale = h.maximumFractionalValue > 0 ? static_cast<float>(1.0 / h.maximumFractionalValue) : 1.0f;
    out.mask.values.assign(out.mask.geometry.voxels(), 0.0f);
    for (std::size_t f = 0; f < frameSlice.size(); ++f) {
        if (h.frameSegments[f] != out.segment.number)
            continue;
        float* slice = out.mask.values.data() + plane * static_cast<std::size_t>(frameSlice[f]);
        for (std::size_t i = 0; i < plane; ++i) // overlapping frames of one segment: the union
            slice[i] = std::max(slice[i], std::min(1.0f, pixels[f * plane + i] * scale));
    }
    return out;
}

} // namespace attn
