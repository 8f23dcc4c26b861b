#include "volume/Resample.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

/// Source index pair and weight of output index i along an axis of in -> out samples.
struct Tap {
    int i0, i1;
    float w1;
};

std::vector<Tap> taps(int in, int out)
{
    std::vector<Tap> t(static_cast<std::size_t>(out));
    const double scale = static_cast<double>(in) / out;
    for (int i = 0; i < out; ++i) {
        const double src = std::max(0.0, (i + 0.5) * scale - 0.5);
        const int i0 = std::min(static_cast<int>(src), in - 1);
        t[static_cast<std::size_t>(i)] = {i0, std::min(i0 + 1, in - 1), static_cast<float>(src - i0)};
    }
    return t;
}

} // namespace

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
    const auto tx = taps(v.geometry.size[0], size[0]), ty = taps(v.geometry.size[1], size[1]),
               tz = taps(v.geometry.size[2], size[2]);
    for (int z = 0; z < size[2]; ++z)
        for (int y = 0; y < size[1]; ++y)
            for (int x = 0; x < size[0]; ++x) {
                const Tap a = tx[static_cast<std::size_t>(x)], b = ty[static_cast<std::size_t>(y)], c = tz[static_cast<std::size_t>(z)];
                const auto at = [&](int i, int j, int k) { return v.at(i, j, k); };
                const float c00 = at(a.i0, b.i0, c.i0) * (1 - a.w1) + at(a.i1, b.i0, c.i0) * a.w1;
                const float c10 = at(a.i0, b.i1, c.i0) * (1 - a.w1) + at(a.i1, b.i1, c.i0) * a.w1;
                const float c01 = at(a.i0, b.i0, c.i1) * (1 - a.w1) + at(a.i1, b.i0, c.i1) * a.w1;
                const float c11 = at(a.i0, b.i1, c.i1) * (1 - a.w1) + at(a.i1, b.i1, c.i1) * a.w1;
                const float c0 = c00 * (1 - b.w1) + c10 * b.w1, c1 = c01 * (1 - b.w1) + c11 * b.w1;
                r.values[r.index(x, y, z)] = c0 * (1 - c.w1) + c1 * c.w1;
            }
    return r;
}

} // namespace attn
