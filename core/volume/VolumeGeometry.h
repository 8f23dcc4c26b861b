#pragma once
/// @file VolumeGeometry.h
/// Where a voxel grid sits in patient space (DICOM LPS, millimetres), as trusted viewers
/// keep it: patient = origin + D * (spacing .* index), with D's columns the directions of
/// increasing x (DICOM row direction), y (column direction) and z (slice normal).

#include <Eigen/Core>
#include <Eigen/LU>

#include <array>
#include <cstddef>
#include <vector>

namespace attn {

/// Grid size and patient-space placement of a volume.
struct VolumeGeometry {
    std::array<int, 3> size{0, 0, 0};                    ///< Voxels along x (columns), y (rows), z (slices).
    Eigen::Vector3d origin = Eigen::Vector3d::Zero();    ///< Patient position of voxel (0, 0, 0)'s centre, mm.
    Eigen::Vector3d spacing = Eigen::Vector3d::Ones();   ///< Distance between voxel centres along x, y, z, mm.
    Eigen::Matrix3d direction = Eigen::Matrix3d::Identity(); ///< Columns: unit x, y, z directions in LPS.

    /// Patient position (mm) of a (fractional) voxel index (x, y, z).
    Eigen::Vector3d indexToPatient(const Eigen::Vector3d& index) const
    {
        return origin + direction * spacing.cwiseProduct(index);
    }
    /// Voxel index (fractional) of a patient position.
    Eigen::Vector3d patientToIndex(const Eigen::Vector3d& patient) const
    {
        return (direction.inverse() * (patient - origin)).cwiseQuotient(spacing);
    }
    /// Number of voxels.
    std::size_t voxels() const
    {
        return static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(size[2]);
    }
};

/// A scalar volume: values (HU for CT) in x-fastest order, [z][y][x].
struct Volume {
    VolumeGeometry geometry;   ///< Grid and placement.
    std::vector<float> values; ///< geometry.voxels() values.

    /// Linear index of voxel (x, y, z).
    std::size_t index(int x, int y, int z) const
    {
        return (static_cast<std::size_t>(z) * static_cast<std::size_t>(geometry.size[1]) + static_cast<std::size_t>(y))
            * static_cast<std::size_t>(geometry.size[0])
            + static_cast<std::size_t>(x);
    }
    /// Value of voxel (x, y, z).
    float at(int x, int y, int z) const { return values[index(x, y, z)]; }
};

} // namespace attn
