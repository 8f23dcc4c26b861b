#pragma once
/// @file Backprojection.h
/// Attention on CT tokens shown on the anatomy. Image token (i, j, k) of a model's token grid is
/// centred on input voxel (i, j, k) * stride + offset of the model's input grid, per axis (its
/// receptive field, PatchLayout). A per-token value becomes a value at every input voxel by
/// trilinear interpolation between those centres (constant beyond the outermost ones), so the
/// overlay is smooth rather than blocky, and it carries the input grid's patient geometry;
/// resampleOnto() (volume/Resample.h) then puts it on the study's own grid.

#include "model/VolumeModel.h"
#include "volume/VolumeGeometry.h"

#include <vector>

namespace attn {

/// Per-image-token values (in the model's token order, [CLS] excluded) as a volume on the model's
/// input grid (`inputGeometry`, from VolumeModel::prepareInput).
Volume backprojectTokens(const std::vector<float>& tokenValues, const PatchLayout& layout, const VolumeGeometry& inputGeometry);

} // namespace attn
