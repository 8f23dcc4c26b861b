#include "volume/Resample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attn {
namespace {

/// Where a source position p falls on an axis of `size` voxels: the index pair and weight
/// (p clamped to the outermost voxel centres), and whether p lies within the outer voxel faces.
struct AxisTap {
    int i0 = 0, i1 = 0;
    float w1 = 0.0f;
    bool inside = false;
};

AxisTap tapAt(double p, int size)
{
    AxisTap t;
    t.inside = p >= -0.5 && p <= size - 0.5;
    const double c = std::clamp(p, 0.0, static_cast<double>(size - 1));
    t.i0 = std::min(static_cast<int>(c), size - 1);
    t.i1 = std::min(t.i0 + 1, size - 1);
    t.w1 = static_cast<float>(c - t.i0);
    return t;
}

/// Trilinear blend of the eight voxels the taps name: along x, then y, then z (the order
/// F.interpolate's separable passes round in). Always inlined: it is the inner loop of every
/// resampling.
[[gnu::always_inline]] inline float blend(const Volume& v, const AxisTap& x, const AxisTap& y, const AxisTap& z)
{
    const auto alongX = [&](int yy, int zz) { return v.at(x.i0, yy, zz) * (1 - x.w1) + v.at(x.i1, yy, zz) * x.w1; };
    const float c0 = alongX(y.i0, z.i0) * (1 - y.w1) + alongX(y.i1, z.i0) * y.w1;
    const float c1 = alongX(y.i0, z.i1) * (1 - y.w1) + alongX(y.i1, z.i1) * y.w1;
    return c0 * (1 - z.w1) + c1 * z.w1;
}

/// `source` sampled on `target`'s grid when each target axis maps to source positions
/// start + i * step along the same source axis: the taps are computed once per axis instead of
/// once per voxel. `outside` where a position lies beyond the source's outer voxel faces.
Volume sampleSeparable(const Volume& source, const VolumeGeometry& target, const Eigen::Vector3d& start,
                       const Eigen::Vector3d& step, float outside, const Progress* progress = nullptr)
{
    std::vector<AxisTap> taps[3];
    for (int a = 0; a < 3; ++a)
        for (int i = 0; i < target.size[static_cast<std::size_t>(a)]; ++i)
            taps[a].push_back(tapAt(start(a) + i * step(a), source.geometry.size[static_cast<std::size_t>(a)]));
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
    ParallelCancel cancel(progress);
#pragma omp parallel for
    for (int z = 0; z < target.size[2]; ++z) {
        if (cancel.stop())
            continue;
        const AxisTap& tz = taps[2][static_cast<std::size_t>(z)];
        for (int y = 0; y < target.size[1]; ++y) {
            const AxisTap& ty = taps[1][static_cast<std::size_t>(y)];
            float* row = out.values.data() + out.index(0, y, z);
            for (int x = 0; x < target.size[0]; ++x) {
                const AxisTap& tx = taps[0][static_cast<std::size_t>(x)];
                row[x] = tx.inside && ty.inside && tz.inside ? blend(source, tx, ty, tz) : outside;
            }
        }
    }
    cancel.throwIfCancelled();
    return out;
}

} // namespace

float sampleTrilinear(const Volume& v, const Eigen::Vector3d& p)
{
    const auto& s = v.geometry.size;
    return blend(v, tapAt(p(0), s[0]), tapAt(p(1), s[1]), tapAt(p(2), s[2]));
}

VolumeGeometry resampledGeometry(const VolumeGeometry& g, const std::array<int, 3>& size)
{
    VolumeGeometry r = g;
    r.size = size;
    Eigen::Vector3d firstCentre;
    for (int a = 0; a < 3; ++a) {
        const double scale = static_cast<double>(g.size[static_cast<std::size_t>(a)]) / size[static_cast<std::size_t>(a)];
        r.spacing(a) = g.spacing(a) * scale;
        firstCentre(a) = 0.5 * scale - 0.5; // input index of output voxel 0's centre
    }
    r.origin = g.indexToPatient(firstCentre);
    return r;
}

Volume resampleTrilinear(const Volume& v, const std::array<int, 3>& size)
{
    Eigen::Vector3d scale;
    for (int a = 0; a < 3; ++a)
        scale(a) = static_cast<double>(v.geometry.size[static_cast<std::size_t>(a)]) / size[static_cast<std::size_t>(a)];
    // output voxel i samples input position (i + 0.5) * scale - 0.5, always within the outer faces
    return sampleSeparable(v, resampledGeometry(v.geometry, size), 0.5 * scale.array() - 0.5, scale, 0.0f);
}

namespace {

/// A volume on `target` whose voxel (x, y, z) is `value(p)`, p the source index of its centre
/// (through patient space); slice by slice on the threads, cancellable.
template <class F>
Volume sampleThroughPatientSpace(const VolumeGeometry& sg, const VolumeGeometry& target, const Progress* progress, F value)
{
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
    ParallelCancel cancel(progress);
#pragma omp parallel for
    for (int z = 0; z < target.size[2]; ++z) {
        if (cancel.stop())
            continue;
        for (int y = 0; y < target.size[1]; ++y)
            for (int x = 0; x < target.size[0]; ++x)
                out.values[out.index(x, y, z)] = value(sg.patientToIndex(target.indexToPatient(Eigen::Vector3d(x, y, z))));
    }
    cancel.throwIfCancelled();
    return out;
}

} // namespace

Volume resampleOnto(const Volume& source, const VolumeGeometry& target, float outside, const Progress* progress)
{
    const auto& sg = source.geometry;
    if ((sg.direction - target.direction).cwiseAbs().maxCoeff() < 1e-9) // the same axes: separable
        return sampleSeparable(source, target, sg.patientToIndex(target.origin), target.spacing.cwiseQuotient(sg.spacing), outside,
                               progress);
    return sampleThroughPatientSpace(sg, target, progress, [&](const Eigen::Vector3d& p) {
        const AxisTap tx = tapAt(p(0), sg.size[0]), ty = tapAt(p(1), sg.size[1]), tz = tapAt(p(2), sg.size[2]);
        return tx.inside && ty.inside && tz.inside ? blend(source, tx, ty, tz) : outside;
    });
}

Volume resampleNearestOnto(const Volume& source, const VolumeGeometry& target, float outside, const Progress* progress)
{
    const auto& sg = source.geometry;
    return sampleThroughPatientSpace(sg, target, progress, [&](const Eigen::Vector3d& p) {
        const int i = static_cast<int>(std::floor(p(0) + 0.5)), j = static_cast<int>(std::floor(p(1) + 0.5)),
                  k = static_cast<int>(std::floor(p(2) + 0.5));
        const bool inside = i >= 0 && i < sg.size[0] && j >= 0 && j < sg.size[1] && k >= 0 && k < sg.size[2];
        return inside ? source.at(i, j, k) : outside;
    });
}

} // namespace attn
