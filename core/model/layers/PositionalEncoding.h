#pragma once
/// @file PositionalEncoding.h
/// Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5), and ALiBi's head slopes.

#include "tensor/Tensor.h"

#include <vector>

namespace attn {

/// PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)),
/// for positions p = 0 .. length-1 ([CLS] is p = 0); d must be even.
Matrix sinusoidalEncoding(Index length, Index d);

/// ALiBi's slope of each of n heads (Press et al. 2022): for n a power of two, (2^(-8/n))^(h+1);
/// otherwise the slopes of the largest power of two p below n, then every other slope of 2p for
/// the n - p left, as MosaicBERT's and DNABERT-2's _get_alibi_head_slopes.
std::vector<float> alibiSlopes(int n);

} // namespace attn
