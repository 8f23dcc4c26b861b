#pragma once
/// @file RunResult.h
/// What every encoder run is asked (RunOptions) and gives (RunResult), whatever its family.

#include "attention/AttentionStore.h"
#include "attention/ForwardRecorder.h"
#include "attention/HeadEdits.h"
#include "tensor/Tensor.h"
#include "util/Progress.h"

#include <vector>

namespace attn {

/// How a run is done and what it keeps: every family's run takes its prepared input and these
/// (the one forward contract: the store, progress and Cancel, the interventions on heads, and
/// whoever records activations).
struct RunOptions {
    StorePlan store;             ///< What attention to keep and its budget.
    Progress* progress = nullptr; ///< Progress and cancellation, or null.
    Interventions interventions;  ///< Heads changed in this run (none by default).
    ForwardRecorder* recorder = nullptr; ///< Receives layer inputs and heads' outputs, or null.
    /// A run of the same input, without interventions below resumeLayer, to start from (or null): the
    /// layers below are not run again. Used only by runs that keep no attention and have no contact head.
    const LayerCache* resumeFrom = nullptr;
    int resumeLayer = 0;
    /// The caller reads the prediction alone (logits, labels), not the hidden states or attention: a
    /// family whose prediction reads the first token alone (a classifier on [CLS]) then computes its
    /// last layer for that token only, and RunResult::hidden holds only its first row.
    bool predictionOnly = false;
};

/// Everything a run produces; owned by the caller, independent of other runs.
struct RunResult {
    std::vector<int> ids;          ///< Input token ids.
    std::vector<bool> keyPadding;  ///< Padding flags of the input.
    Matrix hidden;                 ///< Final encoder output [L, d].
    Vector logits;                 ///< Classifier output [num_labels].
    AttentionStore attention;      ///< Softmax weights per layer and head.
};

} // namespace attn
