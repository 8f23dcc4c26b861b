#pragma once
/// @file Cropping.h
/// Boxes cut out of a volume, zero where the box reaches beyond it, geometry shifted so every
/// voxel stays where it was in patient space; and MONAI's CropForeground box.

#include "volume/VolumeGeometry.h"

#include <array>

namespace attn {

/// A box of voxels: [start, start + size) on each axis; start may be negative and the box may
/// reach beyond the volume.
struct VoxelBox {
    std::array<int, 3> start{0, 0, 0};
    std::array<int, 3> size{0, 0, 0};
};

/// The box's voxels (`fill` outside the volume), placed where they are in patient space.
Volume cropBox(const Volume& v, const VoxelBox& box, float fill = 0.0f);

/// The box of `size` centred on voxel `centre` (the box's voxel size / 2 lands on it), moved inside
/// the volume where the volume is at least as large, else centred on the volume (padded on both sides,
/// the larger half after, as MONAI's SpatialPad does).
VoxelBox boxAround(const VolumeGeometry& g, const std::array<int, 3>& centre, const std::array<int, 3>& size);

/// MONAI's CropForeground box: the voxels above 0 (its default select_fn), grown by `margin`, then
/// to a multiple of `kDivisible` around its centre (floor of half the growth before); clipped to the
/// volume when `allowSmaller`. Empty (all sizes 0) when no voxel is above 0.
VoxelBox foregroundBox(const Volume& v, const std::array<int, 3>& margin, const std::array<int, 3>& kDivisible, bool allowSmaller);

} // namespace attn
