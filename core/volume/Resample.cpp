#include "volume/Resample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attn {

float sampleTrilinear(const Volume& v, const Eigen::Vector3d& p)
{
    const auto& s = v.geometry.size;
    int i0[3], i1[3];
    float w[3];
    for (int a = 0; a < 3; ++a) {
        const int n = s[static_cast<std::size_t>(a)];
        const double c = std::clamp(p(a), 0.0, static_cast<double>(n - 1));
        i0[a] = std::min(static_cast<int>(c), n - 1);
        i1[a] = std::min(i0[a] + 1, n - 1);
        w[a] = static_cast<float>(c - i0[a]);
    }
    // along x, then y, then z (the order F.interpolate's separable passes round in)
    const auto alongX = [&](int y, int z) { return v.at(i0[0], y, z) * (1 - w[0]) + v.at(i1[0], y, z) * w[0]; };
    const float c0 = alongX(i0[1], i0[2]) * (1 - w[1]) + alongX(i1[1], i0[2]) * w[1];
    const float c1 = alongX(i0[1], i1[2]) * (1 - w[1]) + alongX(i1[1], i1[2]) * w[1];
    return c0 * (1 - w[2]) + c1 * w[2];
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
    Volume r;
    r.geometry = resampledGeometry(v.geometry, size);
    r.values.resize(r.geometry.voxels());
    Eigen::Vector3d scale;
    for (int a = 0; a < 3; ++a)
        scale(a) = static_cast<double>(v.geometry.size[static_cast<std::size_t>(a)]) / size[static_cast<std::size_t>(a)];
    for (int z = 0; z < size[2]; ++z)
        for (int y = 0; y < size[1]; ++y)
            for (int x = 0; x < size[0]; ++x) {
                const Eigen::Vector3d source = (Eigen::Vector3d(x, y, z).array() + 0.5) * scale.array() - 0.5;
                r.values[r.index(x, y, z)] = sampleTrilinear(v, source);
            }
    return r;
}

namespace {

/// Source index pair and weight along one axis, or outside the source.
struct AxisTap {
    int i0 = 0, i1 = 0;
    float w1 = 0.0f;
    bool inside = false;
};

/// Taps of target indices 0..n-1 at source positions start + i * step on an axis of `size` voxels.
std::vector<AxisTap> axisTaps(int n, double start, double step, int size)
{
    std::vector<AxisTap> taps(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double p = start + i * step;
        AxisTap& t = taps[static_cast<std::size_t>(i)];
        t.inside = p >= -0.5 && p <= size - 0.5;
        const double c = std::clamp(p, 0.0, static_cast<double>(size - 1));
        t.i0 = std::min(static_cast<int>(c), size - 1);
        t.i1 = std::min(t.i0 + 1, size - 1);
        t.w1 = static_cast<float>(c - t.i0);
    }
    return taps;
}

/// resampleOnto for grids with the same axes (direction), where the index mapping separates per
/// axis: the weights are computed once per axis instead of once per voxel.
Volume resampleAligned(const Volume& source, const VolumeGeometry& target, float outside)
{
    const auto& sg = source.geometry;
    const Eigen::Vector3d start = sg.patientToIndex(target.origin);
    std::vector<AxisTap> taps[3];
    for (int a = 0; a < 3; ++a)
        taps[a] = axisTaps(target.size[static_cast<std::size_t>(a)], start(a), target.spacing(a) / sg.spacing(a), sg.size[static_cast<std::size_t>(a)]);
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
#pragma omp parallel for
    for (int z = 0; z < target.size[2]; ++z) {
        const AxisTap& tz = taps[2][static_cast<std::size_t>(z)];
        for (int y = 0; y < target.size[1]; ++y) {
            const AxisTap& ty = taps[1][static_cast<std::size_t>(y)];
            float* row = out.values.data() + out.index(0, y, z);
            for (int x = 0; x < target.size[0]; ++x) {
                const AxisTap& tx = taps[0][static_cast<std::size_t>(x)];
                if (!(tx.inside && ty.inside && tz.inside)) {
                    row[x] = outside;
                    continue;
                }
                const auto alongX = [&](int yy, int zz) { return source.at(tx.i0, yy, zz) * (1 - tx.w1) + source.at(tx.i1, yy, zz) * tx.w1; };
                const float c0 = alongX(ty.i0, tz.i0) * (1 - ty.w1) + alongX(ty.i1, tz.i0) * ty.w1;
                const float c1 = alongX(ty.i0, tz.i1) * (1 - ty.w1) + alongX(ty.i1, tz.i1) * ty.w1;
                row[x] = c0 * (1 - tz.w1) + c1 * tz.w1;
            }
        }
    }
    return out;
}

} // namespace

Volume resampleOnto(const Volume& source, const VolumeGeometry& target, float outside)
{
    if ((source.geometry.direction - target.direction).cwiseAbs().maxCoeff() < 1e-9)
        return resampleAligned(source, target, outside);
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
    const auto& s = source.geometry.size;
#pragma omp parallel for
    for (int z = 0; z < target.size[2]; ++z)
        for (int y = 0; y < target.size[1]; ++y)
            for (int x = 0; x < target.size[0]; ++x) {
                const Eigen::Vector3d p = source.geometry.patientToIndex(target.indexToPatient(Eigen::Vector3d(x, y, z)));
                bool inside = true;
                for (int a = 0; a < 3; ++a)
                    inside = inside && p(a) >= -0.5 && p(a) <= s[static_cast<std::size_t>(a)] - 0.5;
                out.values[out.index(x, y, z)] = inside ? sampleTrilinear(source, p) : outside;
            }
    return out;
}

} // namespace attn
