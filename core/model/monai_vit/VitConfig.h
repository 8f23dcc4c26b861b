#pragma once
/// @file VitConfig.h
/// The arguments of MONAI's ViT (monai/networks/nets/vit.py), as a bundle's network_def gives
/// them, with MONAI's defaults; UNETR's encoder is the same ViT (16^3 patches, 12 layers, no
/// classification). Sizes are in MONAI's array axes, which for a study read by MONAI's ITK reader
/// are x, y, z (column, row, slice).

#include "model/ConfigReader.h"
#include "model/ModelConfig.h"

#include <array>

namespace attn {

/// How patches become tokens (PatchEmbeddingBlock's proj_type).
enum class PatchProjection {
    Conv,      ///< Conv3d with kernel = stride = patch; weights [d, C, p1, p2, p3].
    Perceptron ///< Rearrange to (p1 p2 p3 c), then Linear; weights [d, p1 p2 p3 C].
};

/// The position table added to the patch tokens (pos_embed_type).
enum class PositionTable {
    None,      ///< No positions.
    Learnable, ///< position_embeddings [1, patches, d] in the weights.
    Sincos     ///< The fixed 3D sine-cosine table (pos_embed_utils.py), computed.
};

/// A MONAI ViT's architecture.
struct VitConfig {
    int inChannels = 1;
    std::array<int, 3> imgSize{0, 0, 0};   ///< The input region, in MONAI's array axes.
    std::array<int, 3> patchSize{16, 16, 16};
    PatchProjection projection = PatchProjection::Conv;
    bool projectionGiven = false;          ///< proj_type (or the older pos_embed) was given; else the weights' names decide.
    PositionTable positions = PositionTable::Learnable;
    bool classification = false;           ///< A [CLS] token and a classification head.
    bool tanh = true;                      ///< post_activation "Tanh" after the head.
    bool qkvBias = false;                  ///< The qkv Linear has a bias.
    ModelConfig encoder;                   ///< d = hidden_size, heads, layers, ff = mlp_dim; pre-LN, exact GELU, final norm.

    /// Patches along each axis (img_size / patch_size).
    std::array<int, 3> patchGrid() const;
    /// Patch tokens.
    int patches() const;
    /// Tokens, [CLS] included.
    int tokens() const { return patches() + (classification ? 1 : 0); }
};

/// Reads a ViT's arguments (`family` names the model family in messages and its config).
/// `numLayers` fixes the layer count (UNETR: 12) instead of reading num_layers; `classification`
/// is read only when `allowClassification`. Errors name the file and the key.
VitConfig readVitConfig(const ConfigReader& r, const std::string& family, bool allowClassification, int numLayers = 0);

/// A size MONAI accepts as one int for every axis or a list of three (img_size, patch_size).
std::array<int, 3> readSize3(const ConfigReader& r, const std::string& key);

/// The names of the two enums, as MONAI writes them ("conv", "sincos", ...).
std::string projectionName(PatchProjection p);
std::string positionTableName(PositionTable p);

/// The `info` keys of a MONAI ViT encoder: img_size, patch_size, patch_grid, tokens, in_channels,
/// proj_type, pos_embed_type, qkv_bias.
void describeVitEncoder(const VitConfig& config, nlohmann::json& info);

} // namespace attn
