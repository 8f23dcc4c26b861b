#include "volume/Respacing.h"

#include "util/Progress.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

/// Where output index j reads along one axis: the two input voxels and the weight of the second.
struct Tap {
    int lo = 0;
    int hi = 0;
    double w = 0.0;
};

std::vector<Tap> taps(int outSize, int inSize, double ratio)
{
    std::vector<Tap> t(static_cast<std::size_t>(outSize));
    for (int j = 0; j < outSize; ++j) {
        const double p = std::clamp(j * ratio, 0.0, static_cast<double>(inSize - 1)); // border padding
        const int lo = static_cast<int>(std::floor(p));
        t[static_cast<std::size_t>(j)] = {lo, std::min(lo + 1, inSize - 1), p - lo};
    }
    return t;
}

} // namespace

Volume resampleToSpacing(const Volume& v, const std::array<double, 3>& spacing, const Progress* progress)
{
    const VolumeGeometry& g = v.geometry;
    Volume out;
    out.geometry = g;
    bool same = true;
    for (int a = 0; a < 3; ++a) {
        const double s = spacing[static_cast<std::size_t>(a)] > 0 ? spacing[static_cast<std::size_t>(a)] : g.spacing[a];
        same = same && std::abs(s - g.spacing[a]) < 1e-3;
        out.geometry.spacing[a] = s;
        out.geometry.size[static_cast<std::size_t>(a)] =
            std::max(1, static_cast<int>(std::nearbyint((g.size[static_cast<std::size_t>(a)] - 1) * g.spacing[a] / s + 1.0)));
    }
    if (same)
        return v;
    const auto& n = out.geometry.size;
    const auto tx = taps(n[0], g.size[0], out.geometry.spacing[0] / g.spacing[0]), ty = taps(n[1], g.size[1], out.geometry.spacing[1] / g.spacing[1]),
               tz = taps(n[2], g.size[2], out.geometry.spacing[2] / g.spacing[2]);
    out.values.resize(out.geometry.voxels());
    ParallelCancel cancel(progress);
#pragma omp parallel for
    for (int z = 0; z < n[2]; ++z) {
        if (cancel.stop())
            continue;
        const Tap& c = tz[static_cast<std::size_t>(z)];
        for (int y = 0; y < n[1]; ++y) {
            const Tap& b = ty[static_cast<std::size_t>(y)];
            for (int x = 0; x < n[0]; ++x) {
                const Tap& a = tx[static_cast<std::size_t>(x)];
                const auto at = [&](int i, int j, int k) { return static_cast<double>(v.at(i, j, k)); };
                const double x00 = at(a.lo, b.lo, c.lo) * (1 - a.w) + at(a.hi, b.lo, c.lo) * a.w;
                const double x10 = at(a.lo, b.hi, c.lo) * (1 - a.w) + at(a.hi, b.hi, c.lo) * a.w;
                const double x01 = at(a.lo, b.lo, c.hi) * (1 - a.w) + at(a.hi, b.lo, c.hi) * a.w;
                const double x11 = at(a.lo, b.hi, c.hi) * (1 - a.w) + at(a.hi, b.hi, c.hi) * a.w;
                const double y0 = x00 * (1 - b.w) + x10 * b.w, y1 = x01 * (1 - b.w) + x11 * b.w;
                out.values[out.index(x, y, z)] = static_cast<float>(y0 * (1 - c.w) + y1 * c.w);
            }
        }
    }
    cancel.throwIfCancelled();
    return out;
}

} // namespace attn
