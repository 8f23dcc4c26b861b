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
    RowVector rowMax(m.cols());
    for (Index r = 0; r < rows; ++r) {
        // the maximum over the block's rows (contiguous, vectorised), then over column blocks
        const Index r0 = r * fr, r1 = std::min(m.rows(), r0 + fr);
        rowMax = m.row(r0);
        for (Index i = r0 + 1; i < r1; ++i)
            rowMax = rowMax.cwiseMax(m.row(i));
        for (Index c = 0; c < cols; ++c) {
            const Index c0 = c * fc;
            out(r, c) = rowMax.segment(c0, std::min(fc, m.cols() - c0)).maxCoeff();
        }
    }
    return out;
}

Matrix halveMax(const Matrix& m)
{
    return downsampleMax(m, (m.rows() + 1) / 2, (m.cols() + 1) / 2);
}

Matrix halveMaxMagnitude(const Matrix& m)
{
    const Matrix high = halveMax(m);
    const Matrix low = -halveMax(-m);
    return (high.array().abs() >= low.array().abs()).select(high, low);
}

} // namespace attn
