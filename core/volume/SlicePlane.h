#pragma once
/// @file SlicePlane.h
/// Axis-aligned slices of a volume as shown on screen: axial (z fixed; columns x, rows y,
/// as stored), coronal (y fixed; columns x, rows z with superior up) and sagittal (x fixed;
/// columns y, rows z with superior up), with the patient directions of the screen axes for
/// orientation labels.

#include "tensor/Tensor.h"
#include "volume/VolumeGeometry.h"

#include <array>
#include <string>

namespace attn {

/// Which plane.
enum class Plane { Axial, Coronal, Sagittal };

/// The volume axis (0 x, 1 y, 2 z) a plane holds fixed.
int fixedAxis(Plane plane);

/// One slice ready to draw.
struct SliceImage {
    Matrix values;             ///< rows x columns, screen order (row 0 at the top).
    double pixelWidth = 1.0;   ///< mm per column.
    double pixelHeight = 1.0;  ///< mm per row.
    Eigen::Vector3d right;     ///< Patient direction of increasing column.
    Eigen::Vector3d down;      ///< Patient direction of increasing row.
};

/// The slice of `plane` through voxel index `index` along its fixed axis.
SliceImage extractSlice(const Volume& volume, Plane plane, int index);

/// Screen (column, row) of a voxel in a plane's image.
std::array<int, 2> voxelToPixel(const VolumeGeometry& g, Plane plane, const std::array<int, 3>& voxel);

/// The voxel at screen (column, row) of a plane whose fixed coordinate is `fixed`.
std::array<int, 3> pixelToVoxel(const VolumeGeometry& g, Plane plane, int column, int row, int fixed);

/// Orientation letter of a patient direction (LPS): its dominant axis, L/R, P/A or S/I.
std::string orientationLetter(const Eigen::Vector3d& direction);

} // namespace attn
