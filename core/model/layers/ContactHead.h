#pragma once
/// @file ContactHead.h
/// ESM's contact prediction head (Rao et al. 2020, "Transformer protein language models are
/// unsupervised structure learners"): each head's attention over the residues (special tokens
/// removed) is symmetrised and APC-corrected, and a logistic regression over all layers x heads
/// gives the contact probability of every residue pair.

#include "attention/AttentionStore.h"
#include "tensor/Tensor.h"

#include <optional>
#include <string>
#include <utility>


namespace attn {

/// F = A + A^T, then APC: F_ij - F_i. F_.j / F_.. (ESM's symmetrize and apc, diagonal included).
Matrix symmetrizedApc(const ConstMatrixRef& attention);

/// One head's map as a contact predictor: tokens [first, first + residues) of its attention,
/// symmetrised and APC-corrected (what the regression weighs; "the best single head").
Matrix headContactMap(const AttentionStore& store, int layer, int head, Index first, Index residues);

/// Accumulates the regression layer by layer during a run, so no layer needs to be kept. Since
/// APC(A + A^T) = A + A^T - r r^T / sum(r) with r the row sums of A + A^T, the weighted sum over
/// heads is kept as sum(w A) (one pass over each head), each head's r and w / sum(r); the
/// symmetric part and the rank-one corrections are applied once, at the end.
class ContactHead {
public:
    /// weight [layers * heads] (layer-major) and bias of the regression; the residues are
    /// tokens [first, first + residues) of each map.
    ContactHead(const Vector& weight, float bias, int heads, Index first, Index residues);
    /// Adds one layer's heads from a one-layer float32 store (its layer 0).
    void addLayer(int layer, const AttentionStore& layerCopy);
    /// For a model without a contact head: every head weighs 1 / (layers x heads), bias 0, so
    /// that weightedSum() is the mean of the heads' symmetrised, APC-corrected maps.
    static ContactHead meanOfHeads(int layers, int heads, Index first, Index residues);
    /// The contact probabilities [L, L]: sigmoid(bias + sum of weighted maps).
    Matrix probabilities() const;
    /// bias + the sum of the weighted maps [L, L] (the mean of the heads for meanOfHeads).
    Matrix weightedSum() const;

private:
    Vector weight_;
    float bias_;
    int heads_;
    Index first_;
    Matrix weighted_; ///< sum of w_h A_h over the residues.
    Matrix sums_;     ///< [L, layers * heads]: each head's row sums of A + A^T.
    Vector scale_;    ///< w_h / the sum of A_h + A_h^T.
};

/// The contacts one protein run predicts, accumulated layer by layer: the model's regression when
/// it has one, else the mean of its heads; with the one-layer float32 copy of each layer's
/// attention the kernel fills for it (AttentionSink::layerCopy). What ESM and ProtBert share.
class RunContacts {
public:
    /// `regression`: the contact head's weight [layers * heads] and bias, or none; the residues are
    /// tokens [1, 1 + residues) of `tokens`.
    RunContacts(const std::optional<std::pair<Vector, float>>& regression, int layers, int heads, Index tokens, Index residues);
    /// Bytes a run on `tokens` tokens needs for it (the layer copy, the accumulated maps), for its MemoryPlan.
    static std::size_t bytesNeeded(int heads, Index tokens);
    /// Where the kernel copies each layer's attention.
    AttentionStore* layerCopy() { return &layerCopy_; }
    /// Adds the layer just copied.
    void addLayer(int layer) { head_.addLayer(layer, layerCopy_); }
    /// The contacts [L, L] (probabilities, or the mean of the heads' maps) and what predicted them.
    std::pair<Matrix, std::string> result() const;

private:
    bool regression_;
    AttentionStore layerCopy_;
    ContactHead head_;
};

} // namespace attn
