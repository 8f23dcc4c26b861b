#include "tensor/SoftmaxRow.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {
namespace {

using Packet = Eigen::internal::packet_traits<float>::type;
constexpr Index kLanes = Eigen::internal::packet_traits<float>::size;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

struct MaxAndSum {
    float max, sum;
};

/// The row's maximum, and with `Sum` its sum.
template <bool Sum>
MaxAndSum maxAndSum(const float* x, Index n, Index packed)
{
    using namespace Eigen::internal;
    Packet top = pset1<Packet>(kNegInf), sum = pset1<Packet>(0.0f);
    for (Index i = 0; i < packed; i += kLanes) {
        const Packet v = ploadu<Packet>(x + i);
        top = pmax(top, v);
        if constexpr (Sum)
            sum = padd(sum, v);
    }
    MaxAndSum out{predux_max(top), Sum ? predux(sum) : 0.0f};
    for (Index i = packed; i < n; ++i) {
        out.max = std::max(out.max, x[i]);
        if constexpr (Sum)
            out.sum += x[i];
    }
    return out;
}

struct SquaresAndExps {
    float squares, exps;
};

/// x[i] = exp(x[i] - max); returns the sum of the new values, and with `Squares` the sum of
/// (x[i] - mean)^2 over the old. The exponentials and their sum are the same either way.
template <bool Squares>
SquaresAndExps expAndSquares(float* x, Index n, Index packed, float max, float mean)
{
    using namespace Eigen::internal;
    const Packet pMax = pset1<Packet>(max), pMean = pset1<Packet>(mean);
    Packet squares = pset1<Packet>(0.0f), sum = pset1<Packet>(0.0f);
    for (Index i = 0; i < packed; i += kLanes) {
        const Packet v = ploadu<Packet>(x + i);
        if constexpr (Squares) {
            const Packet d = psub(v, pMean);
            squares = pmadd(d, d, squares);
        }
        const Packet e = pexp(psub(v, pMax));
        pstoreu(x + i, e);
        sum = padd(sum, e);
    }
    SquaresAndExps out{Squares ? predux(squares) : 0.0f, predux(sum)};
    for (Index i = packed; i < n; ++i) {
        if constexpr (Squares)
            out.squares += (x[i] - mean) * (x[i] - mean);
        x[i] = std::exp(x[i] - max);
        out.exps += x[i];
    }
    return out;
}

} // namespace

void softmaxRow(float* row, Index n)
{
    const Index packed = n / kLanes * kLanes;
    const float max = maxAndSum<false>(row, n, packed).max;
    if (n <= 0 || max == kNegInf) { // every key masked: no attention at all
        std::fill(row, row + std::max<Index>(n, 0), 0.0f);
        return;
    }
    const float exps = expAndSquares<false>(row, n, packed, max, 0.0f).exps;
    Eigen::Map<Eigen::ArrayXf>(row, n) *= 1.0f / exps; // as PyTorch's CPU softmax: one reciprocal, then products
}

float softmaxWithSpread(float* row, Index n)
{
    if (n <= 0)
        return 0.0f;
    const Index packed = n / kLanes * kLanes;
    const MaxAndSum first = maxAndSum<true>(row, n, packed);
    const float mean = first.sum / static_cast<float>(n);
    const SquaresAndExps second = expAndSquares<true>(row, n, packed, first.max, mean);
    Eigen::Map<Eigen::ArrayXf>(row, n) *= 1.0f / second.exps;
    return std::sqrt(second.squares / static_cast<float>(n));
}

} // namespace attn
