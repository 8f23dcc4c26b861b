#include "tensor/Ops.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <cmath>
#include <limits>

namespace attn {

void softmaxRows(MatrixRef m)
{
    constexpr float negInf = -std::numeric_limits<float>::infinity();
    for (Index r = 0; r < m.rows(); ++r) {
        auto row = m.row(r).array();
        const float maxValue = row.maxCoeff();
        if (maxValue == negInf) { // every key masked: no attention at all
            row.setZero();
            continue;
        }
        row = (row - maxValue).exp(); // exp(-inf) = 0 keeps masked keys at zero
        row /= row.sum();
    }
}

void layerNormRows(MatrixRef x, const Vector& gamma, const Vector& beta, float eps)
{
    const auto n = static_cast<float>(x.cols());
    for (Index r = 0; r < x.rows(); ++r) {
        auto row = x.row(r).array();
        const float mean = row.sum() / n;
        row -= mean;
        const float var = row.square().sum() / n;
        row *= 1.0f / std::sqrt(var + eps);
        row = row * gamma.transpose().array() + beta.transpose().array();
    }
}

void reluInPlace(MatrixRef x)
{
    x = x.cwiseMax(0.0f);
}

void geluInPlace(MatrixRef x)
{
    constexpr float invSqrt2 = 0.70710678118654752440f;
    for (Index r = 0; r < x.rows(); ++r) {
        auto row = x.row(r).array();
        row = 0.5f * row * (1.0f + (row * invSqrt2).erf());
    }
}

void siluInPlace(MatrixRef x)
{
    for (Index r = 0; r < x.rows(); ++r) {
        auto row = x.row(r).array();
        row = row / (1.0f + (-row).exp());
    }
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
    y.rowwise() = bias.transpose(); // the product then accumulates onto it: one pass over y, not three
    y.noalias() += x * weight.transpose();
}

void linearAdd(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& weight, const Eigen::Map<const Vector>* bias,
               MatrixRef y)
{
    if (bias)
        y.rowwise() += bias->transpose();
    y.noalias() += x * weight.transpose();
}

} // namespace attn
