#pragma once
/// @file MultiHeadAttention.h
/// Multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1):
///   Attention(Q, K, V) = softmax(Q K^T / sqrt(d_head)) V, per head,
/// that records every head's softmax weights in an AttentionStore.

#include "attention/AttentionMask.h"
#include "attention/AttentionStore.h"
#include "attention/ForwardRecorder.h"
#include "attention/HeadEdits.h"
#include "util/Progress.h"
#include "tensor/Tensor.h"

namespace attn {

/// Parameters of a PyTorch nn.MultiheadAttention with packed input projection.
struct AttentionWeights {
    Eigen::Map<const Matrix> inProj;    ///< [3d, d]: rows of W_q, W_k, W_v stacked.
    Eigen::Map<const Vector> inBias;    ///< [3d].
    Eigen::Map<const Matrix> outProj;   ///< [d, d].
    Eigen::Map<const Vector> outBias;   ///< [d].
};

/// Takes a layer's attention, as float32, while the kernel computes it: every block of query rows
/// of every head exactly once, in the order of (head, first row), one block at a time (the kernels
/// hand them over in an OpenMP ordered region), so that what it sums does not depend on the threads.
class AttentionRowsConsumer {
public:
    virtual void addRows(int layer, int head, Index row0, const ConstMatrixRef& rows) = 0;

protected:
    ~AttentionRowsConsumer() = default;
};

/// Where a layer's attention weights go (store may be null to discard them), and whom the
/// kernel asks, between blocks of queries, whether to stop.
struct AttentionSink {
    AttentionStore* store = nullptr; ///< Destination, or null.
    int layer = 0;                   ///< Layer index in the store.
    const Progress* progress = nullptr; ///< Cancellation, or null: once cancelled, the kernel throws Cancelled.
    AttentionRowsConsumer* rows = nullptr; ///< Also receives the weights, whatever `store` keeps, or null
                                           ///< (a contact head, which keeps sums rather than maps).
    const LayerEdits* edits = nullptr; ///< This attention's interventions, or null (then nothing is checked per row).
    ForwardRecorder* recorder = nullptr; ///< Receives the heads' outputs, or null.
    AttentionPart part = AttentionPart::Main; ///< Which attention of the layer this is (for the recorder).
};

/// Query rows per task of scaledDotProductAttention at `length` tokens (64 to 256: as many as keep
/// a block's scores within 1 MiB).
Index queryBlockRows(Index length);

/// The standard deviation of each row's unmasked scores, into out (the score spread the store
/// records). Masked scores are -inf; without a mask every score counts.
void scoreSpread(const ConstMatrixRef& scores, bool masked, float* out);

/// Writes rows [row0, row0 + rows.rows()) of one head to the sink's store and layer copy.
void sinkRows(const AttentionSink& sink, int head, Index row0, const ConstMatrixRef& rows);

/// Soft-maxes the scores of queries [row0, row0 + scores.rows()) of one head in place and records
/// them: each query's score spread (with the store), then its weights to the sink. One query at a
/// time, while its row is in L1 cache: step by step over the whole block read it from L2 five times.
/// The sink's edits of the head apply: its temperature before the spread, uniform rows after it.
void softmaxAndRecord(MatrixRef scores, Index row0, int head, bool masked, const AttentionSink& sink);

/// The rotary frequencies of a head of width d_head: f_i = 1 / 10000^(2i / d_head), i < d_head / 2.
RowVector rotaryFrequencies(Index headDim);

/// Applies rotary position embedding (Su et al. 2021, RoFormer; ESM-2's variant) in place
/// to each head of x [L, heads * d_head], position p = row index ([CLS] at 0):
///   x' = x * cos(p * f) + rotate_half(x) * sin(p * f),
/// with the frequencies f [d_head / 2] repeated over both halves of the head and
/// rotate_half([a, b]) = [-b, a].
void applyRotary(MatrixRef x, int nHeads, const RowVector& invFreq);

/// Scaled dot-product attention of q, k, v [L, heads * d_head] into context
/// [L, heads * d_head]; records weights in the sink. Processes blocks of queries so the
/// score matrix never exceeds a cache-sized block per thread. The sink's edits of the weights
/// apply (a copied head's weights come from its source's queries and keys); those of the
/// output do not (finishHeadOutputs applies them to the whole context). q may have fewer rows
/// than k and v: only those queries attend.
void scaledDotProductAttention(const ConstMatrixRef& q, const ConstMatrixRef& k, const ConstMatrixRef& v,
                               int nHeads, const AttentionMask& mask, AttentionSink sink, Matrix& context);

/// The projections selfAttentionContext writes besides its result. Kept by the caller across the
/// layers of a run, they are allocated, and first touched, once per run instead of once per layer
/// (at L = 2,048 and d = 1,024 each is 8 to 24 MiB, served fresh by mmap and zero-filled page by
/// page by the kernel every time).
struct AttentionScratch {
    Matrix qkv;     ///< [L, 3d]
    Matrix context; ///< [L, d]
};

/// The sink's edits of the heads' outputs on context [L, heads * d_head] (padding rows left out
/// of a mean), then its recorder: what every attention does between A V and W_O.
void finishHeadOutputs(const AttentionSink& sink, MatrixRef context, int nHeads, const std::vector<bool>& padding);

/// Multi-head self-attention of x [L, d] up to the heads' outputs: projections, rotary positions with
/// the frequencies `rotary` (null: none), attention, then the sink's edits of the outputs and its
/// recorder. Leaves z [L, heads * d_head] in scratch.context, ready for the output projection. With
/// `queries` > 0 only the first `queries` tokens attend (to every key): z is [queries, heads * d_head].
void selfAttentionContext(const ConstMatrixRef& x, const AttentionWeights& w, int nHeads, const RowVector* rotary,
                          const AttentionMask& mask, AttentionSink sink, AttentionScratch& scratch, Index queries = 0);

} // namespace attn
