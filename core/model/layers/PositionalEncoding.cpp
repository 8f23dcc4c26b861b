#include "model/layers/PositionalEncoding.h"

#include <cmath>

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

} // namespace attn
