#include "interpret/Backprojection.h"

#include "util/Error.h"
#include "volume/Resample.h"

namespace attn {

Volume backprojectTokens(const std::vector<float>& tokenValues, const PatchLayout& layout, const VolumeGeometry& inputGeometry)
{
    check<ShapeError>(static_cast<int>(tokenValues.size()) == layout.tokens(), "backprojection: a value per image token is needed");
    Volume grid; // the tokens as a tiny volume, indexed by token coordinates
    grid.geometry.size = layout.grid;
    grid.values.resize(tokenValues.size());
    for (int z = 0; z < layout.grid[2]; ++z)
        for (int y = 0; y < layout.grid[1]; ++y)
            for (int x = 0; x < layout.grid[0]; ++x)
                grid.values[grid.index(x, y, z)] = tokenValues[static_cast<std::size_t>(layout.imageToken(x, y, z))];
    Volume out;
    out.geometry = inputGeometry;
    out.values.resize(inputGeometry.voxels());
    const auto& a = layout.axes;
    for (int z = 0; z < inputGeometry.size[2]; ++z)
        for (int y = 0; y < inputGeometry.size[1]; ++y)
            for (int x = 0; x < inputGeometry.size[0]; ++x) {
                // input voxel -> token coordinate (voxel - offset) / stride, clamped to the token centres
                const Eigen::Vector3d t((x - a[0].offset) / a[0].stride, (y - a[1].offset) / a[1].stride, (z - a[2].offset) / a[2].stride);
                out.values[out.index(x, y, z)] = sampleTrilinear(grid, t);
            }
    return out;
}

} // namespace attn
