#include "volume/Resample.h"

#include <algorithm>
#include <cmath>

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

Volume resampleOnto(const Volume& source, const VolumeGeometry& target, float outside)
{
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
    const auto& s = source.geometry.size;
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
