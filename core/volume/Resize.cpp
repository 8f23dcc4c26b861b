#include "volume/Resize.h"

#include "util/Error.h"
#include "volume/Resample.h"

#include <vector>

namespace attn {
namespace {

/// The input range [first, last) output voxel j averages along one axis (adaptive pooling).
std::pair<int, int> poolRange(int j, int in, int out)
{
    const auto first = static_cast<int>(static_cast<long long>(j) * in / out);
    const auto last = static_cast<int>((static_cast<long long>(j + 1) * in + out - 1) / out);
    return {first, last};
}

/// One axis resized by area (adaptive average pooling) or nearest, the others kept.
Volume alongAxis(const Volume& v, int axis, int size, bool area)
{
    const auto& n = v.geometry.size;
    const auto a = static_cast<std::size_t>(axis);
    Volume out;
    out.geometry = v.geometry;
    out.geometry.size[a] = size;
    out.values.resize(out.geometry.voxels());
    const auto& m = out.geometry.size;
    for (int z = 0; z < m[2]; ++z)
        for (int y = 0; y < m[1]; ++y)
            for (int x = 0; x < m[0]; ++x) {
                std::array<int, 3> i{x, y, z};
                const int j = i[a];
                const auto [first, last] = area ? poolRange(j, n[a], size) : std::pair<int, int>{static_cast<int>(static_cast<long long>(j) * n[a] / size), 0};
                float value = 0.0f;
                if (area) {
                    for (i[a] = first; i[a] < last; ++i[a])
                        value += v.at(i[0], i[1], i[2]);
                    value /= static_cast<float>(last - first);
                } else {
                    i[a] = first;
                    value = v.at(i[0], i[1], i[2]);
                }
                out.values[out.index(x, y, z)] = value;
            }
    return out;
}

} // namespace

Volume resizeVolume(const Volume& v, const std::array<int, 3>& size, const std::string& mode)
{
    if (mode == "trilinear")
        return resampleTrilinear(v, size);
    check<FormatError>(mode == "area" || mode == "nearest", "resize mode \"" + mode + "\": attnscope resizes by area, trilinear or nearest");
    if (v.geometry.size == size)
        return v;
    Volume out = v;
    for (int a = 0; a < 3; ++a)
        out = alongAxis(out, a, size[static_cast<std::size_t>(a)], mode == "area");
    out.geometry = resampledGeometry(v.geometry, size);
    return out;
}

} // namespace attn
