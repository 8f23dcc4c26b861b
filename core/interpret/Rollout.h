#pragma once
/// @file Rollout.h
/// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers").
///
/// Assumptions, which a reader of a rollout should keep in mind:
///  - Attention is taken as the only way information moves between tokens; the
///    feed-forward blocks, LayerNorm and the value/output projections are ignored, and
///    so are the magnitudes of the vectors being mixed.
///  - The residual connection is modelled as an identity carrying half of the signal:
///    each layer's fused attention W becomes A = (W + I) / 2.
///  - Heads are fused by a single statistic (mean, max or min); what heads do
///    differently is lost.
///  - Layers combine linearly: R = A_n ... A_(s+1) A_s, from the start layer s upward.
///
/// Procedure per layer: fuse heads; optionally discard the lowest fraction of the
/// fused weights (entries in the [CLS] column, index 0, are never discarded, nor
/// entries touching padding; ties go to the lower row-major index); A = (W + I) / 2;
/// zero padded rows and columns; renormalise each remaining row to sum 1. Then multiply.

#include "attention/AttentionStore.h"
#include "util/Progress.h"

#include <string>
#include <vector>

namespace attn {

/// How the heads of one layer are fused into one matrix.
enum class HeadFusion { Mean, Max, Min };

/// Parses "mean" / "max" / "min"; throws Error otherwise.
HeadFusion parseHeadFusion(const std::string& name);

/// "mean", "max" or "min".
std::string headFusionName(HeadFusion fusion);

/// Parameters of a rollout.
struct RolloutOptions {
    HeadFusion fusion = HeadFusion::Mean; ///< Head fusion.
    float discardRatio = 0.0f;            ///< Fraction in [0, 1) of the lowest weights set to zero.
    int startLayer = 0;                   ///< First layer multiplied in.
};

/// The rollout matrix [L, L] from options.startLayer to the last layer; row i says how
/// much of each input token flows to token i's output. Every layer from the start
/// layer on must be kept in the store (throws Error otherwise).
Matrix attentionRollout(const AttentionStore& store, const std::vector<bool>& keyPadding,
                        const RolloutOptions& options);

/// Row `query` of the rollout matrix, computed from the top layer down as a chain of
/// vector-matrix products: O(layers * L^2) instead of the O(layers * L^3) of the full matrix.
RowVector rolloutRow(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options,
                     Index query);

/// The mean of the rollout matrix's rows (what each input token gives the outputs on average: the
/// overlay of a model without [CLS]), at rolloutRow's cost.
RowVector rolloutMeanRow(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options);

/// The fused layer matrices of one run and one set of options, built once, so that the rollout
/// rows of many query tokens (a view following the selected token) cost O(layers * L^2) each
/// instead of re-fusing every head each time: O(layers * heads * L^2). Holds layers * L^2 floats.
class RolloutChain {
public:
    /// Fuses every layer from options.startLayer up (errors as rolloutRow). With a progress,
    /// steps once per layer (and stops there when cancelled).
    RolloutChain(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options,
                 Progress* progress = nullptr);
    /// Row `query` of the rollout matrix: equal to rolloutRow's. Steps a progress once per layer.
    RowVector row(Index query, Progress* progress = nullptr) const;

private:
    std::vector<Matrix> layers_; ///< Fused matrices of layers startLayer .. top.
};

/// One layer's residual-adjusted, renormalised fused matrix A (exposed for tests and views).
Matrix rolloutLayerMatrix(const AttentionStore& store, int layer, const std::vector<bool>& keyPadding,
                          const RolloutOptions& options);

} // namespace attn
