#pragma once
/// @file Downsample.h
/// Level-of-detail reduction of attention matrices for display, by maximum: a sharp
/// weight stays visible when zoomed out (a mean would dilute it).

#include "tensor/Tensor.h"

#include <functional>

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

/// Fills dst with `rows` consecutive rows of a matrix, starting at row0 (rows * cols floats).
using RowReader = std::function<void(Index row0, Index rows, float* dst)>;

/// The first pyramid step of a rows x cols matrix that is read a few rows at a time and never
/// held whole (a head in the float16 store): halveMax of it, or halveMaxMagnitude when
/// `signedValues`, into `out` (whose memory is reused when it has the size: a view that
/// switches heads touches no fresh pages). Also gives the matrix's largest |value| in `maxMagnitude`.
void halveRows(Index rows, Index cols, const RowReader& read, bool signedValues, Matrix& out, float& maxMagnitude);

} // namespace attn
