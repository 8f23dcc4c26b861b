#pragma once
/// @file EncoderStack.h
/// A stack of EncoderLayers run in order (every family's layer loop), and the run of the families
/// that embed their own way and classify on [CLS] (ct_encoder, ehr_encoder).

#include "model/ModelConfig.h"
#include "model/RunResult.h"
#include "model/layers/EncoderLayer.h"

#include <optional>
#include <vector>

namespace attn {

class Progress;
class RunContacts;

/// Copies of the residual stream after chosen layers (UNETR's skip connections read layers 3, 6 and
/// 9 of its ViT).
struct LayerTaps {
    std::vector<int> after;     ///< Layers (from 0) whose output is kept, ascending.
    std::vector<Matrix> states; ///< Their outputs [T, d], in that order, filled by runLayers.
};

/// Runs x [T, d] through the layers in order: layer l's attention into `store` as its layer l (and,
/// with `contacts`, handed block by block to its contact head); layer l is progress step
/// `firstStep` + l of `steps`. With `taps`, the outputs of its layers are copied into it. The
/// layers share one LayerScratch, so each activation is allocated once per run.
void runLayers(const std::vector<EncoderLayer>& layers, Matrix& x, const AttentionMask& mask, AttentionStore& store,
               Progress& progress, RunContacts* contacts, int firstStep, int steps, LayerTaps* taps = nullptr);

/// The run of the families that embed their own way (ct_encoder, ehr_encoder) on embeddings x [T, d]:
/// every layer (attention into a new store, no mask), the final norm if any, the classifier on [CLS].
/// Layer l is progress step `firstStep` + l of `firstStep` + layers.
RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep);

} // namespace attn
