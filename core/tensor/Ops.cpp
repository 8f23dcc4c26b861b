#include "tensor/Ops.h"
#include "tensor/SoftmaxRow.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <cmath>
#include <limits>

namespace attn {

void softmaxRows(MatrixRef m)
{
    for (Index r = 0; r < m.rows(); ++r)
        softmaxRow(m.row(r).data(), m.cols()); // rows are contiguous (inner stride 1)
}

void layerNormRows(MatrixRef x, const Vector& gamma, const Vector& beta, float eps)
{
    const auto n = static_cast<float>(x.cols());
    eachRow(x, [&](auto row, Index) {
        const float mean = row.sum() / n;
        row -= mean;
        const float var = row.square().sum() / n;
        row *= 1.0f / std::sqrt(var + eps);
        row = row * gamma.transpose().array() + beta.transpose().array();
    });
}

void reluInPlace(MatrixRef x)
{
    x = x.cwiseMax(0.0f);
}

void geluInPlace(MatrixRef x)
{
    constexpr float invSqrt2 = 0.70710678118654752440f;
    eachRow(x, [&](auto row, Index) { row = 0.5f * row * (1.0f + (row * invSqrt2).erf()); });
}

void siluInPlace(MatrixRef x)
{
    eachRow(x, [](auto row, Index) { row = row / (1.0f + (-row).exp()); });
}

void multiplyInPlace(MatrixRef x, const ConstMatrixRef& by)
{
    eachRow(x, [&](auto row, Index r) { row *= by.row(r).array(); });
}

void linear(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight, Matrix& y)
{
    y.resize(x.rows(), weight.rows());
    y.noalias() = x * weight.transpose();
}

void linear(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight,
            const Eigen::Map<const Vector>& bias, Matrix& y)
{
    y.resize(x.rows(), weight.rows());
    eachRow(y, [&](auto row, Index) { row = bias.transpose().array(); }); // the product accumulates onto it
    y.noalias() += x * weight.transpose();
}

void linearAdd(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight, const Eigen::Map<const Vector>* bias,
               MatrixRef y)
{
    if (bias)
        eachRow(y, [&](auto row, Index) { row += bias->transpose().array(); });
    y.noalias() += x * weight.transpose();
}

} // namespace attn
