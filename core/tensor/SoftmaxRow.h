#pragma once
/// @file SoftmaxRow.h
/// The softmax of one row of scores, in three passes (maximum; exp and its sum; scaling), and the
/// attention kernel's step when it records: the scores' spread and their softmax in the same three
/// passes, where spread and softmax apart took six. Both give the same softmax to the bit, so a
/// run gives the same attention whether or not it records it.

#include "tensor/Tensor.h"

namespace attn {

/// Softmax of row[0..n) in place, numerically stable (maximum subtracted before exp, one reciprocal
/// of the sum, as PyTorch's CPU softmax). -infinity marks a masked key; a row of masked keys becomes
/// zeros (not NaN).
void softmaxRow(float* row, Index n);

/// For row[0..n) with no -infinity (no masked key): returns the root-mean-square deviation of the
/// scores from their mean, and replaces them by their softmax (maximum subtracted before exp, one
/// reciprocal of the sum): the softmax exactly as softmaxRow gives it, the spread as scoreSpread
/// gives it to float rounding (its sums are accumulated in another order).
float softmaxWithSpread(float* row, Index n);

} // namespace attn
