#pragma once
/// @file Respacing.h
/// A volume resampled to other voxel spacings over the same extent, as MONAI's Spacing transform
/// does (mode "bilinear", padding_mode "border", its default float64 arithmetic): the axes and the
/// origin kept, round-half-to-even((n - 1) s / s' + 1) voxels per axis (numpy's round), output voxel
/// j the trilinear value at input index j s' / s, clamped to the volume.

#include "volume/VolumeGeometry.h"

#include <array>

namespace attn {

class Progress;

/// The volume at `spacing` mm per axis; a non-positive entry keeps that axis' spacing. Returned
/// unchanged when every spacing already matches (within 1e-3 mm, MONAI's affine tolerance).
/// Throws Cancelled when `progress` asks to stop.
Volume resampleToSpacing(const Volume& v, const std::array<double, 3>& spacing, const Progress* progress = nullptr);

} // namespace attn
