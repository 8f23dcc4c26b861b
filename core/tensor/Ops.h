#pragma once
/// @file Ops.h
/// Elementwise and row-wise operations of a Transformer, on row-major float32 matrices.

#include "tensor/Tensor.h"

namespace attn {

/// Below this many elements, starting the threads for a row-wise pass costs more than it saves.
constexpr Index kParallelElements = Index{1} << 16;

/// f(row, r) for each row r of x (row: an Eigen array expression f may assign to), the rows of a
/// large x spread over the threads: the other core would otherwise wait, spinning, through each pass.
template <typename F>
void eachRow(MatrixRef x, F f)
{
#pragma omp parallel for schedule(static) if (x.size() >= kParallelElements)
    for (Index r = 0; r < x.rows(); ++r)
        f(x.row(r).array(), r);
}

/// Row-wise softmax in place, numerically stable: each row has its maximum
/// subtracted before exp. Entries equal to -infinity are masked; a row whose entries
/// are all masked becomes all zeros (not NaN).
void softmaxRows(MatrixRef m);

/// LayerNorm over each row (Ba et al. 2016), as torch.nn.LayerNorm:
/// y = (x - mean) / sqrt(var + eps) * gamma + beta, with the biased variance.
void layerNormRows(MatrixRef x, const Vector& gamma, const Vector& beta, float eps);

/// ReLU in place: max(x, 0).
void reluInPlace(MatrixRef x);

/// GELU in place, exact erf form as torch.nn.functional.gelu:
/// gelu(x) = x / 2 * (1 + erf(x / sqrt(2))).
void geluInPlace(MatrixRef x);

/// SiLU (swish) in place: x * sigmoid(x), as torch.nn.functional.silu.
void siluInPlace(MatrixRef x);

/// x *= by, element by element (a gated feed-forward's gate).
void multiplyInPlace(MatrixRef x, const ConstMatrixRef& by);

/// y = x W^T for a PyTorch Linear weight W [out, in] without a bias.
void linear(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight, Matrix& y);

/// y = x W^T + b for a PyTorch Linear weight W [out, in] and bias b [out].
void linear(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight,
            const Eigen::Map<const Vector>& bias, Matrix& y);

/// y += x W^T + b (b may be null): a sublayer's output added to the residual stream y in the
/// product's own pass (no output buffer, no zero-fill before the product, no separate sum).
void linearAdd(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight, const Eigen::Map<const Vector>* bias,
               MatrixRef y);

} // namespace attn
