#pragma once
/// @file Backprojection.h
/// Attention on CT tokens shown on the anatomy. Token (i, j, k) of the stem's grid is centred
/// on input voxel (i, j, k) * stride + offset of the model's input grid (its receptive field,
/// CtConfig::tokenGeometry). A per-token value becomes a value at every input voxel by
/// trilinear interpolation between those centres (constant beyond the outermost ones), so the
/// overlay is smooth rather than blocky, and it carries the input grid's patient geometry;
/// resampleOnto() (volume/Resample.h) then puts it on the study's own grid.

#include "model/ct_encoder/CtModel.h"
#include "volume/VolumeGeometry.h"

#include <vector>

namespace attn {

/// Per-token values (tokenGrid x * y * z, x fastest, [CLS] excluded) as a volume on the model's
/// input grid (`inputGeometry`, e.g. from CtModel::prepare).
Volume backprojectTokens(const std::vector<float>& tokenValues, const std::array<int, 3>& tokenGrid,
                         const TokenGeometry& tokens, const VolumeGeometry& inputGeometry);

} // namespace attn
