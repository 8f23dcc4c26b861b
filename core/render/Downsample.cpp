#include "render/Downsample.h"

#include <algorithm>
#include <cmath>

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

namespace {

/// out(c) = the larger (or, for `smaller`, the smaller) of v(2c) and v(2c + 1); the last cell
/// of an odd-length v stands alone.
void pairReduce(const RowVector& v, bool smaller, Eigen::Ref<RowVector> out)
{
    const Index pairs = v.size() / 2;
    const Eigen::Map<const Eigen::MatrixXf> p(v.data(), 2, pairs); // column c: v(2c), v(2c + 1)
    if (smaller)
        out.head(pairs) = p.row(0).cwiseMin(p.row(1));
    else
        out.head(pairs) = p.row(0).cwiseMax(p.row(1));
    if (v.size() % 2 != 0)
        out(pairs) = v(v.size() - 1);
}

} // namespace

void halveRows(Index rows, Index cols, const RowReader& read, bool signedValues, Matrix& out, float& maxMagnitude)
{
    const Index outRows = (rows + 1) / 2, outCols = (cols + 1) / 2;
    out.resize(outRows, outCols);
    Matrix pair(2, cols); // two input rows
    RowVector high(cols), low(cols), highOut(outCols), lowOut(outCols);
    maxMagnitude = 0.0f;
    for (Index r = 0; r < outRows; ++r) {
        const bool two = 2 * r + 1 < rows;
        read(2 * r, two ? 2 : 1, pair.data());
        high = two ? pair.row(0).cwiseMax(pair.row(1)) : RowVector(pair.row(0));
        pairReduce(high, false, out.row(r));
        if (signedValues) { // the entry of largest magnitude, with its sign (ties: the positive one)
            low = two ? pair.row(0).cwiseMin(pair.row(1)) : RowVector(pair.row(0));
            pairReduce(low, true, lowOut);
            highOut = out.row(r);
            out.row(r) = (highOut.array().abs() >= lowOut.array().abs()).select(highOut, lowOut);
        }
        maxMagnitude = std::max(maxMagnitude, out.row(r).cwiseAbs().maxCoeff());
    }
}

} // namespace attn
