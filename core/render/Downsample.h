#pragma once
/// @file Downsample.h
/// Level-of-detail reduction of attention matrices for display, by maximum: a sharp
/// weight stays visible when zoomed out (a mean would dilute it).

#include "tensor/Tensor.h"

namespace attn {

/// Reduces m to at most maxRows x maxCols by taking the maximum of each block of
/// ceil(rows / maxRows) x ceil(cols / maxCols) cells. Returns m unchanged when it fits.
Matrix downsampleMax(const Matrix& m, Index maxRows, Index maxCols);

/// One pyramid step: the maximum of each 2 x 2 block (ceil(rows / 2) x ceil(cols / 2)).
/// Applying it k times equals downsampleMax by 2^k.
Matrix halveMax(const Matrix& m);

/// One pyramid step for signed values (differences): of each 2 x 2 block, the entry of
/// largest magnitude, with its sign (ties: the positive one).
Matrix halveMaxMagnitude(const Matrix& m);

} // namespace attn
