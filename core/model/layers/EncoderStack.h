#pragma once
/// @file EncoderStack.h
/// A stack of EncoderLayers run in order (every family's layer loop), and the run of the families
/// that embed their own way and classify on [CLS] (ct_encoder, ehr_encoder).

#include "model/ModelConfig.h"
#include "model/RunResult.h"
#include "model/layers/EncoderLayer.h"

#include <functional>
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

/// What a run of the layers is given besides x.
struct LayerRun {
    AttentionStore& store;           ///< Layer l's attention goes to its layer l.
    const RunOptions& options;       ///< Progress and Cancel, the interventions, the recorder.
    RunContacts* contacts = nullptr; ///< Also handed every block of attention, or null.
    int firstStep = 0;               ///< Layer l is progress step firstStep + l ...
    int steps = 0;                   ///< ... of steps (0: as many as there are layers).
    LayerTaps* taps = nullptr;       ///< The outputs of its layers are copied into it, or null.
    bool readsFirstTokenOnly = false; ///< The caller reads the first token's final state alone (a classifier on
                                      ///< [CLS]): with RunOptions::predictionOnly, the last layer runs for it alone.
};

/// True when runLayers will start from the options' cache (RunOptions::resumeFrom), replacing x with
/// the input it recorded: a run that keeps no attention and feeds no contact head. Its caller then
/// skips the embedding (a CT stem's convolutions, sinusoidal positions), which the run would discard.
bool resumesFromCache(const LayerRun& run);

/// Runs x [T, d] through the layers in order, with the run's interventions (checked against the
/// layers first) and its recorder (given each layer's input). The layers share one LayerScratch,
/// so each activation is allocated once per run. x may be empty when resumesFromCache(run).
void runLayers(const std::vector<EncoderLayer>& layers, Matrix& x, const AttentionMask& mask, const LayerRun& run);

/// The run of the families that embed their own way (ct_encoder, ehr_encoder) on the `tokens`
/// embeddings [T, d] that `embed` computes (unless the run resumes from a cache): every layer
/// (attention into a new store, no mask), the final norm if any, the classifier on [CLS].
/// Layer l is progress step `firstStep` + l of `firstStep` + layers.
RunResult encodeAndClassify(Index tokens, const std::function<Matrix()>& embed, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep);

} // namespace attn
