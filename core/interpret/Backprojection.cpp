#include "interpret/Backprojection.h"

#include "volume/Resample.h"

namespace attn {

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
                // input voxel -> token coordinate (voxel - offset) / stride, clamped to the token centres
                const Eigen::Vector3d t((x - tokens.offset) / tokens.stride, (y - tokens.offset) / tokens.stride,
                                        (z - tokens.offset) / tokens.stride);
                out.values[out.index(x, y, z)] = sampleTrilinear(grid, t);
            }
    return out;
}

} // namespace attn
