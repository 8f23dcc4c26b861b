#pragma once
/// @file Resample.h
/// Trilinear resampling of a volume to another grid size over the same physical extent, as
/// torch.nn.functional.interpolate(mode="trilinear", align_corners=False) does: output
/// voxel i samples input position (i + 0.5) * in / out - 0.5 (clamped at the edges). The
/// geometry follows, so the resampled volume stays where the original is in patient space.

#include "volume/VolumeGeometry.h"

#include <array>

namespace attn {

/// The geometry of `g`'s extent cut into `size` voxels (x, y, z).
VolumeGeometry resampledGeometry(const VolumeGeometry& g, const std::array<int, 3>& size);

/// The volume resampled to `size` voxels (x, y, z) over the same extent.
Volume resampleTrilinear(const Volume& v, const std::array<int, 3>& size);

} // namespace attn
