#include "volume/Cropping.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace attn {

Volume cropBox(const Volume& v, const VoxelBox& box, float fill)
{
    const VolumeGeometry& g = v.geometry;
    Volume out;
    out.geometry = g;
    out.geometry.size = box.size;
    out.geometry.origin = g.indexToPatient(Eigen::Vector3d(box.start[0], box.start[1], box.start[2]));
    out.values.assign(out.geometry.voxels(), fill);
    for (int z = 0; z < box.size[2]; ++z) {
        const int iz = box.start[2] + z;
        if (iz < 0 || iz >= g.size[2])
            continue;
        for (int y = 0; y < box.size[1]; ++y) {
            const int iy = box.start[1] + y;
            if (iy < 0 || iy >= g.size[1])
                continue;
            const int x0 = std::max(0, -box.start[0]), x1 = std::min(box.size[0], g.size[0] - box.start[0]);
            for (int x = x0; x < x1; ++x)
                out.values[out.index(x, y, z)] = v.at(box.start[0] + x, iy, iz);
        }
    }
    return out;
}

VoxelBox boxAround(const VolumeGeometry& g, const std::array<int, 3>& centre, const std::array<int, 3>& size)
{
    VoxelBox box;
    box.size = size;
    for (std::size_t a = 0; a < 3; ++a) {
        const int n = g.size[a], s = size[a];
        box.start[a] = n >= s ? std::clamp(centre[a] - s / 2, 0, n - s) : -((s - n) / 2);
    }
    return box;
}

VoxelBox foregroundBox(const Volume& v, const std::array<int, 3>& margin, const std::array<int, 3>& kDivisible, bool allowSmaller)
{
    const auto& n = v.geometry.size;
    std::array<int, 3> lo{n[0], n[1], n[2]}, hi{-1, -1, -1};
    for (int z = 0; z < n[2]; ++z)
        for (int y = 0; y < n[1]; ++y)
            for (int x = 0; x < n[0]; ++x)
                if (v.at(x, y, z) > 0.0f) {
                    const int i[3] = {x, y, z};
                    for (std::size_t a = 0; a < 3; ++a) {
                        lo[a] = std::min(lo[a], i[a]);
                        hi[a] = std::max(hi[a], i[a]);
                    }
                }
    VoxelBox box;
    if (hi[0] < 0)
        return box;
    for (std::size_t a = 0; a < 3; ++a) {
        int start = lo[a] - margin[a], end = hi[a] + margin[a] + 1;
        if (allowSmaller) {
            start = std::max(start, 0);
            end = std::min(end, n[a]);
        }
        const int size = end - start, k = std::max(1, kDivisible[a]);
        const int divisible = (size + k - 1) / k * k;
        start -= (divisible - size) / 2;
        box.start[a] = start;
        box.size[a] = divisible;
    }
    return box;
}

} // namespace attn
