#pragma once
/// @file Resize.h
/// A volume resized to another number of voxels over the same extent, as
/// torch.nn.functional.interpolate does in the modes MONAI's Resize transform offers: "trilinear"
/// (align_corners=False), "area" (adaptive average pooling: MONAI's default) and "nearest"
/// (PyTorch's legacy nearest: input voxel floor(j * in / out)).

#include "volume/VolumeGeometry.h"

#include <array>
#include <string>

namespace attn {

/// The modes resizeVolume accepts.
inline constexpr const char* kResizeModes[] = {"area", "trilinear", "nearest"};

/// The volume resized to `size` voxels (x, y, z) by `mode`; FormatError for another mode. The
/// geometry follows (resampledGeometry), so the volume stays where it is in patient space.
Volume resizeVolume(const Volume& v, const std::array<int, 3>& size, const std::string& mode);

} // namespace attn
