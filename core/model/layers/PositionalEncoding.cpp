#include "model/layers/PositionalEncoding.h"

#include <cmath>
#include <vector>

namespace attn {

Matrix sinusoidalEncoding(Index length, Index d)
{
    Matrix pe(length, d);
    for (Index i = 0; 2 * i < d; ++i) {
        // Computed in double, then rounded once, to agree with float32 references to the last bit or two.
        const double invFreq = std::pow(10000.0, -static_cast<double>(2 * i) / static_cast<double>(d));
        for (Index p = 0; p < length; ++p) {
            const double angle = static_cast<double>(p) * invFreq;
            pe(p, 2 * i) = static_cast<float>(std::sin(angle));
            if (2 * i + 1 < d)
                pe(p, 2 * i + 1) = static_cast<float>(std::cos(angle));
        }
    }
    return pe;
}

namespace {

std::vector<double> powerOfTwoSlopes(int n)
{
    const double start = std::pow(2.0, -std::pow(2.0, -(std::log2(static_cast<double>(n)) - 3.0)));
    std::vector<double> slopes;
    for (int h = 0; h < n; ++h)
        slopes.push_back(start * std::pow(start, h));
    return slopes;
}

std::vector<double> slopesOf(int n)
{
    int p = 1;
    while (p * 2 <= n)
        p *= 2;
    std::vector<double> slopes = powerOfTwoSlopes(p);
    if (p == n)
        return slopes;
    const std::vector<double> wider = slopesOf(2 * p);
    for (int i = 0; static_cast<int>(slopes.size()) < n; i += 2)
        slopes.push_back(wider[static_cast<std::size_t>(i)]);
    return slopes;
}

} // namespace

std::vector<float> alibiSlopes(int n)
{
    std::vector<float> out;
    for (double s : slopesOf(n))
        out.push_back(static_cast<float>(s)); // torch.Tensor(list of Python floats): rounded once to float32
    return out;
}

} // namespace attn
