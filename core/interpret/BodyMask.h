#pragma once
/// @file BodyMask.h
/// The body in a CT study, for drawing an attention overlay only where there is anatomy: every
/// voxel except the air outside the patient. Air is below kAirLevelHu; the air outside is the
/// air connected (6-neighbours) to the volume's faces, so the lungs, sinuses and airways, which
/// air inside the body encloses, stay inside. A CT model's input is in HU, so this is the
/// region of the input where there is something to attend to.

#include "volume/VolumeGeometry.h"

#include <cstdint>
#include <vector>

namespace attn {

/// Hounsfield units below which a voxel is air (water is 0, fat about -100, lung about -800).
constexpr float kAirLevelHu = -500.0f;

/// 1 for voxels of the body, 0 for the air outside it (see the file's comment).
std::vector<std::uint8_t> bodyMask(const Volume& ct, float airLevel = kAirLevelHu);

/// `overlay` (on the same grid as the mask) with 0 outside the body.
Volume maskedToBody(const Volume& overlay, const std::vector<std::uint8_t>& body);

} // namespace attn
