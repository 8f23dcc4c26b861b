#pragma once
/// @file Resample.h
/// Trilinear sampling of volumes, the one interpolation the core uses:
/// - sampleTrilinear: a volume at a fractional voxel index, clamped to the outermost voxel
///   centres;
/// - resampleTrilinear: to another grid size over the same physical extent, as
///   torch.nn.functional.interpolate(mode="trilinear", align_corners=False) does: output
///   voxel i samples input position (i + 0.5) * in / out - 0.5. The geometry follows, so the
///   resampled volume stays where the original is in patient space;
/// - resampleOnto: onto any other grid, through patient space (resampleNearestOnto for labels).

#include "util/Progress.h"
#include "volume/VolumeGeometry.h"

#include <array>

namespace attn {

/// v at fractional voxel index p (x, y, z), trilinear between the eight voxels around it;
/// p is clamped to [0, size - 1] on each axis first.
float sampleTrilinear(const Volume& v, const Eigen::Vector3d& p);

/// The geometry of `g`'s extent cut into `size` voxels (x, y, z).
VolumeGeometry resampledGeometry(const VolumeGeometry& g, const std::array<int, 3>& size);

/// The volume resampled to `size` voxels (x, y, z) over the same extent.
Volume resampleTrilinear(const Volume& v, const std::array<int, 3>& size);

/// `source` sampled at every voxel centre of `target` (through patient space); `outside` where
/// a centre lies beyond the source's outer voxel faces. Asks `progress` (if any) slice by slice
/// whether to stop, and throws Cancelled when asked.
Volume resampleOnto(const Volume& source, const VolumeGeometry& target, float outside = 0.0f, const Progress* progress = nullptr);

/// `source` (labels) at every voxel centre of `target`, from its nearest voxel (through patient
/// space); `outside` where a centre lies beyond the source's outer voxel faces. Cancellable as
/// resampleOnto.
Volume resampleNearestOnto(const Volume& source, const VolumeGeometry& target, float outside = 0.0f, const Progress* progress = nullptr);

} // namespace attn
