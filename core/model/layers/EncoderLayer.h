#pragma once
/// @file EncoderLayer.h
/// One Transformer encoder layer, as torch.nn.TransformerEncoderLayer (dropout off):
///   post-LN: x = norm1(x + SA(x));      x = norm2(x + FF(x))
///   pre-LN:  x = x + SA(norm1(x));      x = x + FF(norm2(x))
/// with FF(x) = linear2(act(linear1(x))), or, gated (GLU: the Nucleotide Transformer v2, DNABERT-2),
/// FF(x) = linear2(act(h1) * h2) where linear1(x) = [h1 h2] is split in halves; the feed-forward's
/// biases are optional (ModelConfig::feedforwardInBias, feedforwardOutBias).

#include "attention/MultiHeadAttention.h"
#include "model/ModelConfig.h"
#include "model/Weights.h"

#include <optional>
#include <string>

namespace attn {

/// A LayerNorm's parameters.
struct NormWeights {
    Vector gamma; ///< Scale [d].
    Vector beta;  ///< Shift [d].
};

/// The activations a layer's forward pass writes besides x (each sublayer's output is added to x
/// by its last product, so it needs no buffer of its own). The caller keeps one across the layers of
/// a run, so each large one is allocated (and zero-filled by the kernel) once per run, not per layer:
/// at the Nucleotide Transformer v2 500M shape and 2,048 tokens, fresh buffers cost a fifth of
/// the run in page faults.
struct LayerScratch {
    AttentionScratch attention;
    Matrix normed; ///< [L, d]: the pre-LN input of a sublayer.
    Matrix hidden; ///< [L, ff] or, gated, [L, 2 ff]: the feed-forward's inner activations.
};

/// Views of one layer's weights, validated for shape at construction.
class EncoderLayer {
public:
    /// Binds the tensors named `prefix` + PyTorch's names (self_attn.in_proj_weight, ...). With
    /// rotary positions the frequencies are `prefix` + self_attn.rotary_inv_freq [d_head / 2] when
    /// the weights have it (ESM-2's released values are rounded to float16), else computed.
    EncoderLayer(const Weights& weights, const std::string& prefix, const ModelConfig& config);
    /// Runs the layer on x [L, d] in place, recording attention into the sink; the sink's recorder, when it
    /// wants them, then gets the layer's parts (LayerParts).
    void forward(Matrix& x, const AttentionMask& mask, AttentionSink sink, LayerScratch& scratch) const;
    /// The rest of the layer on its input x [L, d] in place, given its heads' outputs z [L, d] (before
    /// the output projection): what forward does once the attention is computed. A head changed on
    /// its output alone changes z only, so a run that has z already skips the projections and the
    /// attention (head importance, docs/head-importance.md).
    void forwardFromContext(Matrix& x, const ConstMatrixRef& context, LayerScratch& scratch) const
    {
        forwardFromContext(x, context, scratch, nullptr);
    }
    /// The layer for the first token alone: every token's keys and values, its query, its update.
    /// Only x's first row is the layer's output; the other rows are left as they were. For a last layer
    /// read by a classifier on [CLS]. A Mean edit of an output needs every token: not here.
    void forwardFirstToken(Matrix& x, const AttentionMask& mask, AttentionSink sink, LayerScratch& scratch) const;
    /// Sets the columns of each head that `edits` makes uniform in z [L, heads * d_head] to what
    /// uniform attention gives it on the layer's input x [L, d]: the mean of the head's values over the
    /// keys not in `keyPadding` (empty: all), at every query. With the recorded z of a run without the
    /// edit, a run that makes heads uniform skips the layer's attention as one that zeroes them does.
    void uniformHeadOutputs(const ConstMatrixRef& x, const LayerEdits& edits, const std::vector<bool>& keyPadding, MatrixRef z) const;
    /// Heads of its attention.
    int heads() const { return config_.nHeads; }

private:
    /// Copies of the states inside a layer that a recorder of its parts sees (LayerParts).
    struct LayerStates {
        Matrix afterAttention, afterNorm1, beforeNorm2;
    };
    /// forwardFromContext, keeping copies of the intermediate states in `states` unless null.
    void forwardFromContext(Matrix& x, const ConstMatrixRef& context, LayerScratch& scratch, LayerStates* states) const;
    /// The feed-forward of x, added to residual (which may be x: read only before the last product).
    void feedForward(const ConstMatrixRef& x, MatrixRef residual, Matrix& hidden) const;

    const ModelConfig& config_;
    AttentionWeights attention_;
    Eigen::Map<const Matrix> linear1W_, linear2W_;
    std::optional<Eigen::Map<const Vector>> linear1B_, linear2B_;
    NormWeights norm1_, norm2_;
    std::optional<RowVector> rotary_;
};

/// Reads a LayerNorm's weight and bias named prefix.weight / prefix.bias.
NormWeights readNorm(const Weights& weights, const std::string& prefix, int d);

} // namespace attn
