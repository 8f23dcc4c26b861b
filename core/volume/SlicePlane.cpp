#include "volume/SlicePlane.h"

#include <algorithm>
#include <cmath>

namespace attn {

int fixedAxis(Plane plane)
{
    return plane == Plane::Axial ? 2 : plane == Plane::Coronal ? 1 : 0;
}

SliceImage extractSlice(const Volume& v, Plane plane, int index)
{
    const auto& g = v.geometry;
    const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
    SliceImage s;
    if (plane == Plane::Axial) {
        s.values.resize(ny, nx);
        for (int y = 0; y < ny; ++y)
            for (int x = 0; x < nx; ++x)
                s.values(y, x) = v.at(x, y, index);
        s.pixelWidth = g.spacing.x();
        s.pixelHeight = g.spacing.y();
        s.right = g.direction.col(0);
        s.down = g.direction.col(1);
    } else if (plane == Plane::Coronal) {
        s.values.resize(nz, nx);
        for (int z = 0; z < nz; ++z)
            for (int x = 0; x < nx; ++x)
                s.values(nz - 1 - z, x) = v.at(x, index, z);
        s.pixelWidth = g.spacing.x();
        s.pixelHeight = g.spacing.z();
        s.right = g.direction.col(0);
        s.down = -g.direction.col(2);
    } else {
        s.values.resize(nz, ny);
        for (int z = 0; z < nz; ++z)
            for (int y = 0; y < ny; ++y)
                s.values(nz - 1 - z, y) = v.at(index, y, z);
        s.pixelWidth = g.spacing.y();
        s.pixelHeight = g.spacing.z();
        s.right = g.direction.col(1);
        s.down = -g.direction.col(2);
    }
    return s;
}

std::array<int, 2> voxelToPixel(const VolumeGeometry& g, Plane plane, const std::array<int, 3>& v)
{
    const int nz = g.size[2];
    switch (plane) {
    case Plane::Axial: return {v[0], v[1]};
    case Plane::Coronal: return {v[0], nz - 1 - v[2]};
    case Plane::Sagittal: return {v[1], nz - 1 - v[2]};
    }
    return {0, 0};
}

std::array<int, 3> pixelToVoxel(const VolumeGeometry& g, Plane plane, int column, int row, int fixed)
{
    const int nz = g.size[2];
    switch (plane) {
    case Plane::Axial: return {column, row, fixed};
    case Plane::Coronal: return {column, fixed, nz - 1 - row};
    case Plane::Sagittal: return {fixed, column, nz - 1 - row};
    }
    return {0, 0, 0};
}

std::string orientationLetter(const Eigen::Vector3d& d)
{
    Eigen::Index axis = 0;
    d.cwiseAbs().maxCoeff(&axis);
    static const char* positive[3] = {"L", "P", "S"}; // LPS: +x left, +y posterior, +z superior
    static const char* negative[3] = {"R", "A", "I"};
    return d(axis) >= 0 ? positive[axis] : negative[axis];
}

} // namespace attn
