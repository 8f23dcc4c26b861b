#include "render/Downsample.h"

#include <algorithm>

namespace attn {

Matrix downsampleMax(const Matrix& m, Index maxRows, Index maxCols)
{
    const Index fr = std::max<Index>(1, (m.rows() + maxRows - 1) / std::max<Index>(maxRows, 1));
    const Index fc = std::max<Index>(1, (m.cols() + maxCols - 1) / std::max<Index>(maxCols, 1));
    if (fr == 1 && fc == 1)
        return m;
    const Index rows = (m.rows() + fr - 1) / fr, cols = (m.cols() + fc - 1) / fc;
    Matrix out(rows, cols);
    for (Index r = 0; r < rows; ++r)
        for (Index c = 0; c < cols; ++c) {
            const Index r0 = r * fr, c0 = c * fc;
            out(r, c) = m.block(r0, c0, std::min(fr, m.rows() - r0), std::min(fc, m.cols() - c0)).maxCoeff();
        }
    return out;
}

} // namespace attn
