#pragma once
/// @file Coevolution.h
/// The coevolution baseline that attention contacts are measured against: mutual information
/// between alignment columns with the average product correction (MI-APC; Dunn, Wahl & Gloor,
/// Bioinformatics 2008), from the weighted alignment.
///
/// States: each letter is its own state and '-' one more, as ProDy's buildMutinfoMatrix with
/// ambiguity=False counts them. Frequencies are weighted (SequenceWeights.h), without
/// pseudocounts: f_i(a) = sum_s w_s [x_si = a] / sum_s w_s, likewise f_ij(a, b), and
///   MI_ij = sum_{a,b: f_ij(a,b) > 0} f_ij(a,b) ln(f_ij(a,b) / (f_i(a) f_j(b))),  MI_ii = 0.
/// APC: with m_i = sum_j MI_ij / (L - 1) and m = mean_i m_i,
///   APC_ij = MI_ij - m_i m_j / m,  and 0 on the diagonal (ProDy's applyMutinfoCorr, 'apc').

#include "msa/Msa.h"
#include "tensor/Tensor.h"

#include <vector>

namespace attn {

/// Mutual information of every pair of columns [L, L], natural log, weighted by `weights`
/// (one per row; all 1 for the raw counts).
Matrix mutualInformation(const Msa& msa, const std::vector<double>& weights);

/// The average product correction of a symmetric MI matrix (diagonal set to 0).
Matrix averageProductCorrection(const Matrix& mi);

/// MI-APC from the alignment weighted at 80 % identity: the baseline of `attnscope-cli contacts`.
Matrix miApcBaseline(const Msa& msa);

} // namespace attn
