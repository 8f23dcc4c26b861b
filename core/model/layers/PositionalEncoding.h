#pragma once
/// @file PositionalEncoding.h
/// Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5).

#include "tensor/Tensor.h"

namespace attn {

/// PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)),
/// for positions p = 0 .. length-1 ([CLS] is p = 0); d must be even.
Matrix sinusoidalEncoding(Index length, Index d);

} // namespace attn
