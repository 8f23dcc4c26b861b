#pragma once
/// @file KmerSpread.h
/// Attention on k-mer tokens shown per base. A DNABERT-style input has one token per
/// overlapping k-mer, so base b is covered by up to k tokens. Each token's weight is spread
/// evenly over the bases it covers and the shares are added:
///     base_b = sum over tokens t covering b of w_t / |span_t|
/// This conserves mass: the bases sum to the total weight of the sequence tokens (special
/// tokens such as [CLS] and [SEP] cover no base and are left out). For one token per base
/// (k = 1) it is the identity on the sequence tokens.

#include "model/tokenizers/Tokenizer.h"
#include "tensor/Tensor.h"

#include <vector>

namespace attn {

/// Per-base values of a per-token row (length = spans.size()) over `bases` bases.
std::vector<float> spreadToBases(const RowVector& tokenWeights, const std::vector<TokenSpan>& spans, int bases);

} // namespace attn
