#pragma once
/// @file Downsample.h
/// Level-of-detail reduction of attention matrices for display.

#include "tensor/Tensor.h"

namespace attn {

/// Reduces m to at most maxRows x maxCols by taking the maximum of each block of
/// ceil(rows / maxRows) x ceil(cols / maxCols) cells (a sharp weight stays visible when
/// zoomed out; a mean would dilute it). Returns m unchanged when it already fits.
Matrix downsampleMax(const Matrix& m, Index maxRows, Index maxCols);

} // namespace attn
