#pragma once
/// @file ContactHead.h
/// ESM's contact prediction head (Rao et al. 2020, "Transformer protein language models are
/// unsupervised structure learners"): each head's attention over the residues (special tokens
/// removed) is symmetrised and APC-corrected, and a logistic regression over all layers x heads
/// gives the contact probability of every residue pair.

#include "attention/AttentionStore.h"
#include "tensor/Tensor.h"

#include <functional>

namespace attn {

/// F = A + A^T, then APC: F_ij - F_i. F_.j / F_.. (ESM's symmetrize and apc, diagonal included).
Matrix symmetrizedApc(const ConstMatrixRef& attention);

/// One head's map as a contact predictor: tokens [first, first + residues) of its attention,
/// symmetrised and APC-corrected (what the regression weighs; "the best single head").
Matrix headContactMap(const AttentionStore& store, int layer, int head, Index first, Index residues);

/// Accumulates the regression layer by layer during a run, so no layer needs to be kept.
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
    Matrix weightedSum() const { return sum_.array() + bias_; }
    /// Called with each head's symmetrised, APC-corrected map as it is added (null: not called);
    /// what ranks single heads as contact predictors.
    std::function<void(int layer, int head, const Matrix& map)> onHead;

private:
    Vector weight_;
    float bias_;
    int heads_;
    Index first_;
    Matrix sum_;
};

} // namespace attn
