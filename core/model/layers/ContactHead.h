#pragma once
/// @file ContactHead.h
/// ESM's contact prediction head (Rao et al. 2020, "Transformer protein language models are
/// unsupervised structure learners"): each head's attention over the residues (special tokens
/// removed) is symmetrised and APC-corrected, and a logistic regression over all layers x heads
/// gives the contact probability of every residue pair.

#include "attention/AttentionStore.h"
#include "attention/MultiHeadAttention.h"
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

/// Accumulates the regression during a run, from the rows the attention kernel hands over (an
/// AttentionRowsConsumer), so that no layer needs to be kept or copied. Since
/// APC(A + A^T) = A + A^T - r r^T / sum(r) with r the row sums of A + A^T, the weighted sum over
/// heads is kept as sum(w A) (each row added while the kernel still holds it), each head's r and
/// w / sum(r); the symmetric part and the rank-one corrections are applied once, at the end.
class ContactHead : public AttentionRowsConsumer {
public:
    /// weight [layers * heads] (layer-major) and bias of the regression; the residues are
    /// tokens [first, first + residues) of each map.
    ContactHead(const Vector& weight, float bias, int heads, Index first, Index residues);
    /// For a model without a contact head: every head weighs 1 / (layers x heads), bias 0, so
    /// that weightedSum() is the mean of the heads' symmetrised, APC-corrected maps.
    static ContactHead meanOfHeads(int layers, int heads, Index first, Index residues);
    /// Bytes a head over `residues` residues keeps, for a run's MemoryPlan.
    static std::size_t bytesNeeded(int layers, int heads, Index residues);
    /// Adds rows [row0, row0 + rows.rows()) (token numbering; those outside the residues are
    /// skipped) of one head of `layer`, in the kernel's (head, row) order.
    void addRows(int layer, int head, Index row0, const ConstMatrixRef& rows) override;
    /// Closes `layer` once all its rows were added: each head's row sums of A + A^T and scale.
    void finishLayer(int layer);
    /// The contact probabilities [L, L]: sigmoid(bias + sum of weighted maps).
    Matrix probabilities() const;
    /// bias + the sum of the weighted maps [L, L] (the mean of the heads for meanOfHeads).
    Matrix weightedSum() const;

private:
    Vector weight_;
    float bias_;
    int heads_;
    Index first_;
    Matrix weighted_;   ///< sum of w_h A_h over the residues.
    Matrix sums_;       ///< [L, layers * heads]: each head's row sums of A + A^T.
    Vector scale_;      ///< w_h / the sum of A_h + A_h^T.
    Matrix rowSums_;    ///< [heads, L]: the open layer's row sums of A_h.
    Matrix columnSums_; ///< [heads, L]: the open layer's column sums of A_h, summed row by row in order.
};

/// The contacts one protein run predicts: the model's regression when it has one, else the mean
/// of its heads. What ESM and ProtBert share.
class RunContacts {
public:
    /// `regression`: the contact head's weight [layers * heads] and bias, or none; the residues are
    /// tokens [1, 1 + residues).
    RunContacts(const std::optional<std::pair<Vector, float>>& regression, int layers, int heads, Index residues);
    /// What the kernel hands each layer's rows to (AttentionSink::rows).
    ContactHead* head() { return &head_; }
    /// The contacts [L, L] (probabilities, or the mean of the heads' maps) and what predicted them.
    std::pair<Matrix, std::string> result() const;

private:
    bool regression_;
    ContactHead head_;
};

} // namespace attn
