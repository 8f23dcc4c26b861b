#pragma once
/// @file VitNames.h
/// A MONAI ViT's state dict renamed to the names the core's pieces bind: its transformer blocks
/// to EncoderLayer's (PyTorch's nn.TransformerEncoderLayer names), its patch embedding, position
/// table, [CLS] and head to short names of their own. Names of every MONAI release are accepted:
/// the `cross_attn.*` and `norm_cross_attn.*` tensors recent releases create for every block
/// (unused without cross-attention) are dropped.

#include "io/SafeTensors.h"
#include "model/monai_vit/VitConfig.h"

#include <string>

namespace attn {

/// Moves the ViT's tensors under `prefix` ("" for a ViT, "vit." inside UNETR) out of `in` into
/// `out`: patch.weight [d, K] (K = C p1 p2 p3 in the projection's own order), patch.bias,
/// positions [patches, d] (the file's table, or the sincos table computed when the file has none),
/// cls_token [1, d] and head.weight / head.bias (with classification), encoder.layers.N.*, norm.*.
/// Missing tensors and wrong shapes are errors naming `file` and the tensor. When the config names
/// no projection (MONAI's default changed from "perceptron" to "conv"), the file's names settle it.
void vitToEncoderNames(TensorMap& in, TensorMap& out, VitConfig& config, const std::string& prefix, const std::string& file);

/// MONAI's 3D sine-cosine position table for a grid of patches (pos_embed_utils.py,
/// build_sincos_position_embedding): [g1 g2 g3, d], d / 6 channels each for sin and cos of the
/// second axis, then of the first, then of the third.
Tensor sincosPositionTable(const std::array<int, 3>& grid, int d);

/// Throws FormatError naming `file` and the first tensor left in `in` (a state dict with tensors
/// the network does not have).
void refuseLeftovers(const TensorMap& in, const std::string& file, const std::string& network);

} // namespace attn
