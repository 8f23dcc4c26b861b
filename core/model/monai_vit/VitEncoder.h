#pragma once
/// @file VitEncoder.h
/// MONAI's ViT encoder on a region (a channel-first Grid in MONAI's array axes): the patch
/// embedding (PatchEmbeddingBlock), the position table, [CLS] first when the ViT classifies, the
/// pre-LN TransformerBlocks (one EncoderLayer each) and the final LayerNorm. Tokens follow MONAI's
/// order: [CLS] (if any), then the patches with the last axis fastest.

#include "model/RunResult.h"
#include "model/Weights.h"
#include "model/layers/EncoderLayer.h"
#include "model/layers/EncoderStack.h"
#include "model/monai_vit/VitConfig.h"
#include "tensor/Conv3d.h"

#include <optional>
#include <vector>

namespace attn {

/// The encoder's tensors bound once (VitNames.h's names), shapes checked at construction.
class VitEncoder {
public:
    VitEncoder(const Weights& weights, const VitConfig& config);

    /// The tokens [T, d] of a region: patches projected, positions added, [CLS] first.
    Matrix embed(const Grid& region) const;
    /// Runs a region: every layer's attention into the result's store (options.store), the layer
    /// outputs `taps` asks for, and result.hidden = the final LayerNorm's output. Progress steps
    /// `firstStep` + l of `steps`.
    RunResult encode(const Grid& region, const RunOptions& options, LayerTaps* taps, int firstStep, int steps,
                     bool readsFirstTokenOnly = false) const;
    /// The configuration.
    const VitConfig& config() const { return config_; }

private:
    /// [patches, K]: each patch's values in the projection's order.
    Matrix patchRows(const Grid& region) const;

    const VitConfig& config_;
    Eigen::Map<const Matrix> patchW_;
    Eigen::Map<const Vector> patchB_;
    std::optional<Eigen::Map<const Matrix>> positions_, cls_;
    std::vector<EncoderLayer> layers_;
    NormWeights norm_;
};

} // namespace attn
