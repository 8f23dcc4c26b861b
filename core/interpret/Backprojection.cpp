#include "interpret/Backprojection.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

/// Trilinear sample of v at fractional voxel index p (x, y, z); `outside` beyond the half-voxel border.
float sample(const Volume& v, const Eigen::Vector3d& p, float outside)
{
    const auto& s = v.geometry.size;
    for (int a = 0; a < 3; ++a)
        if (p(a) < -0.5 || p(a) > s[static_cast<std::size_t>(a)] - 0.5)
            return outside;
    int i0[3], i1[3];
    float w[3];
    for (int a = 0; a < 3; ++a) {
        const double c = std::clamp(p(a), 0.0, static_cast<double>(s[static_cast<std::size_t>(a)] - 1));
        i0[a] = static_cast<int>(std::floor(c));
        i1[a] = std::min(i0[a] + 1, s[static_cast<std::size_t>(a)] - 1);
        w[a] = static_cast<float>(c - i0[a]);
    }
    float out = 0.0f;
    for (int corner = 0; corner < 8; ++corner) {
        const int x = corner & 1 ? i1[0] : i0[0], y = corner & 2 ? i1[1] : i0[1], z = corner & 4 ? i1[2] : i0[2];
        const float weight = (corner & 1 ? w[0] : 1 - w[0]) * (corner & 2 ? w[1] : 1 - w[1]) * (corner & 4 ? w[2] : 1 - w[2]);
        out += weight * v.at(x, y, z);
    }
    return out;
}

} // namespace

Volume backprojectTokens(const std::vector<float>& tokenValues, const std::array<int, 3>& tokenGrid,
                         const TokenGeometry& tokens, const VolumeGeometry& inputGeometry)
{
    Volume grid; // the tokens as a tiny volume, indexed by token coordinates
    grid.geometry.size = tokenGrid;
    grid.values = tokenValues;
    Volume out;
    out.geometry = inputGeometry;
    out.values.resize(inputGeometry.voxels());
    for (int z = 0; z < inputGeometry.size[2]; ++z)
        for (int y = 0; y < inputGeometry.size[1]; ++y)
            for (int x = 0; x < inputGeometry.size[0]; ++x) {
                // input voxel -> token coordinate: (voxel - offset) / stride, clamped to the token centres
                Eigen::Vector3d t((x - tokens.offset) / tokens.stride, (y - tokens.offset) / tokens.stride,
                                  (z - tokens.offset) / tokens.stride);
                for (int a = 0; a < 3; ++a)
                    t(a) = std::clamp(t(a), 0.0, static_cast<double>(tokenGrid[static_cast<std::size_t>(a)] - 1));
                out.values[out.index(x, y, z)] = sample(grid, t, 0.0f);
            }
    return out;
}

Volume resampleOnto(const Volume& source, const VolumeGeometry& target, float outside)
{
    Volume out;
    out.geometry = target;
    out.values.resize(target.voxels());
    for (int z = 0; z < target.size[2]; ++z)
        for (int y = 0; y < target.size[1]; ++y)
            for (int x = 0; x < target.size[0]; ++x) {
                const Eigen::Vector3d p = target.indexToPatient(Eigen::Vector3d(x, y, z));
                out.values[out.index(x, y, z)] = sample(source, source.geometry.patientToIndex(p), outside);
            }
    return out;
}

} // namespace attn
