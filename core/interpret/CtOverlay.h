#pragma once
/// @file CtOverlay.h
/// What the CT views overlay on the anatomy: a chosen layer and head's attention, or the rollout's,
/// over the image tokens, taken back to voxels through the tokens' receptive fields
/// (Backprojection.h) and onto the study's grid. With a [CLS] token it is the [CLS] row; a model
/// without one (UNETR) shows the mean attention each image token receives over all queries. Built
/// from a finished run: changing the source never reruns the model.

#include "interpret/Backprojection.h"
#include "interpret/Rollout.h"
#include "model/VolumeModel.h"

#include <memory>
#include <string>

namespace attn {

/// Which attention the overlay shows.
struct OverlaySource {
    bool rollout = true;      ///< The rollout's (else one head's).
    RolloutOptions options;   ///< Rollout parameters.
    int layer = 0;            ///< The head's layer (when not rollout).
    int head = 0;             ///< The head (when not rollout).
    /// A decomposition shown in place of attention (Attn-N, GlobEnc, ALTI: one map per layer, heads
    /// combined; interpret/Attributions.h), or null. Its layer's map replaces the head's; GlobEnc's and
    /// ALTI's own roll-out (`decompositionRollsOut`) replaces the attention rollout.
    std::shared_ptr<const AttentionStore> decomposition;
    std::string decompositionName;    ///< "alti"
    bool decompositionRollsOut = false;

    /// One head's attention, as it is.
    static OverlaySource ofHead(int layer, int head)
    {
        OverlaySource s;
        s.rollout = false;
        s.layer = layer;
        s.head = head;
        return s;
    }
};

/// What the source shows, for labels: "rollout from [CLS] (mean fusion)" or "layer 1, head 2,
/// from [CLS]" (layers and heads counted from 0, as everywhere in the app); without [CLS],
/// "rollout, attention received (mean fusion)" or "layer 1, head 2, attention received (mean over
/// queries)".
std::string describe(const OverlaySource& source, const PatchLayout& layout);

/// The source's attention over the image tokens (in token order), scaled so its maximum is 1:
/// the [CLS] row, or without [CLS] the mean over all query rows.
std::vector<float> imageTokenWeights(const RunResult& run, const OverlaySource& source, const PatchLayout& layout);

/// The overlay on the study's grid: imageTokenWeights backprojected on the model's input grid
/// (`inputGeometry` from VolumeModel::prepareInput) and resampled onto `study` (0 outside). Throws
/// Cancelled when `progress` asks to stop.
Volume ctOverlay(const VolumeModel& model, const RunResult& run, const OverlaySource& source,
                 const VolumeGeometry& inputGeometry, const VolumeGeometry& study, const Progress* progress = nullptr);

} // namespace attn
