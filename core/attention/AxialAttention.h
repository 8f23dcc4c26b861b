#pragma once
/// @file AxialAttention.h
/// The two attentions of an axial layer over an alignment (the MSA Transformer, Rao et al.
/// 2021; fair-esm's RowSelfAttention and ColumnSelfAttention), on x [R * C, d] holding row r's
/// column c at r * C + c. Together they cost O(R C (R + C) d) instead of O((R C)^2 d) for full
/// attention over the R * C tokens.

#include "attention/MultiHeadAttention.h"

namespace attn {

/// Tokens per block where an axial layer works in blocks: column attention (a block of whole
/// columns) and the MSA Transformer's feed-forward (a block of tokens). Blocks bound those
/// intermediates to a few MB where whole ones are [R * C, d] (or [R * C, ffn]) each.
constexpr Index kAxialBlockTokens = 4096;

/// Separate q, k, v and output projections (fair-esm's q_proj, k_proj, v_proj, out_proj).
struct ProjectionWeights {
    Eigen::Map<const Matrix> q, k, v, out;             ///< [d, d] each.
    Eigen::Map<const Vector> qBias, kBias, vBias, outBias; ///< [d] each.
};

/// Tied row attention: one [C, C] map per head, shared by every row,
///   P = softmax_j( sum_r q_ri . k_rj / (sqrt(d_head) sqrt(R)) ),  context_ri = sum_j P_ij v_rj.
/// Records each head's P (and its score spread) in the sink; result in out [R * C, d].
void tiedRowAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                      AttentionSink sink, Matrix& out);

/// Column attention: for each column c and head h an [R, R] map softmax(q k^T / sqrt(d_head))
/// over the rows, recorded as head h * C + c of the sink (a store of heads * C maps of R x R, so a
/// layer is [heads, C, R, R] as fair-esm returns it); result in out [R * C, d]. Works on blocks of
/// whole columns of about blockTokens tokens (at least one column). Only the sink's store receives
/// the maps (its `rows` consumer must be null).
void columnAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                     AttentionSink sink, Matrix& out, Index blockTokens = kAxialBlockTokens);

} // namespace attn
