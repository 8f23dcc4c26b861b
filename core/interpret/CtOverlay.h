#pragma once
/// @file CtOverlay.h
/// What the CT views overlay on the anatomy: a chosen layer and head's attention from [CLS],
/// or the [CLS] row of the rollout, over the image tokens, taken back to voxels through the
/// stem's receptive fields (Backprojection.h) and onto the study's grid. Built from a finished
/// run: changing the source never reruns the model.

#include "interpret/Backprojection.h"
#include "interpret/Rollout.h"
#include "model/ct_encoder/CtModel.h"

namespace attn {

/// Which attention the overlay shows.
struct OverlaySource {
    bool rollout = true;      ///< The rollout's [CLS] row (else one head's [CLS] row).
    RolloutOptions options;   ///< Rollout parameters.
    int layer = 0;            ///< The head's layer (when not rollout).
    int head = 0;             ///< The head (when not rollout).
};

/// What the source shows, for labels: "rollout from [CLS] (mean fusion)" or "layer 1, head 2,
/// from [CLS]" (layers and heads counted from 0, as everywhere in the app).
std::string describe(const OverlaySource& source);

/// The [CLS] row over the image tokens ([CLS] itself left out), scaled so its maximum is 1.
std::vector<float> clsTokenWeights(const RunResult& run, const OverlaySource& source);

/// The overlay on the study's grid: clsTokenWeights backprojected on the model's input grid
/// (`inputGeometry` from CtModel::prepare) and resampled onto `study` (0 outside). Throws
/// Cancelled when `progress` asks to stop.
Volume ctOverlay(const CtModel& model, const RunResult& run, const OverlaySource& source,
                 const VolumeGeometry& inputGeometry, const VolumeGeometry& study, const Progress* progress = nullptr);

} // namespace attn
