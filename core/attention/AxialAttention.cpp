#include "attention/AxialAttention.h"

#include "tensor/Ops.h"

#include <cmath>

namespace attn {
namespace {

void project(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& w, const Eigen::Map<const Vector>& b, Matrix& y)
{
    y.resize(x.rows(), w.rows());
    y.noalias() = x * w.transpose();
    y.rowwise() += b.transpose();
}

/// Head h of m [R * C, d] (row-major by row, then column) as [C, R * d_head]: column i's features
/// of every row side by side, so that one product sums over the rows and the head's width at once.
Matrix gatherHead(const Matrix& m, Index rows, Index columns, Index dh, int h)
{
    Matrix g(columns, rows * dh);
    for (Index r = 0; r < rows; ++r)
        g.middleCols(r * dh, dh) = m.block(r * columns, h * dh, columns, dh);
    return g;
}

/// x [R * C, d] with rows r-major reordered to columns c-major (and back, with the extents swapped).
Matrix transposeGrid(const ConstMatrixRef& x, Index outer, Index inner)
{
    Matrix t(x.rows(), x.cols());
    for (Index a = 0; a < outer; ++a)
        for (Index b = 0; b < inner; ++b)
            t.row(b * outer + a) = x.row(a * inner + b);
    return t;
}

} // namespace

void tiedRowAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                      AttentionSink sink, Matrix& out)
{
    const Index columns = x.rows() / rows, d = x.cols(), dh = d / nHeads;
    Matrix q, k, v;
    project(x, w.q, w.qBias, q);
    project(x, w.k, w.kBias, k);
    project(x, w.v, w.vBias, v);
    q *= 1.0f / std::sqrt(static_cast<float>(dh)) / std::sqrt(static_cast<float>(rows)); // as fair-esm: q scaled first
    Matrix context(x.rows(), d);
    ParallelCancel cancel(sink.progress);
#pragma omp parallel for schedule(dynamic)
    for (int h = 0; h < nHeads; ++h) {
        if (cancel.stop())
            continue;
        const Matrix kh = gatherHead(k, rows, columns, dh, h);
        Matrix scores(columns, columns);
        scores.noalias() = gatherHead(q, rows, columns, dh, h) * kh.transpose();
        std::vector<float> spread(static_cast<std::size_t>(columns));
        if (sink.store)
            scoreSpread(scores, false, spread.data());
        softmaxRows(scores);
        sinkRows(sink, h, 0, scores);
        if (sink.store)
            sink.store->writeScoreSpread(sink.layer, h, 0, spread.data(), columns);
        const Matrix mixed = scores * gatherHead(v, rows, columns, dh, h);
        for (Index r = 0; r < rows; ++r)
            context.block(r * columns, h * dh, columns, dh) = mixed.middleCols(r * dh, dh);
    }
    cancel.throwIfCancelled();
    project(context, w.out, w.outBias, out);
}

void columnAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                     AttentionSink sink, Matrix& out)
{
    const Index columns = x.rows() / rows, d = x.cols(), dh = d / nHeads;
    const Matrix byColumn = transposeGrid(x, rows, columns); // column c's rows are contiguous
    Matrix q, k, v;
    project(byColumn, w.q, w.qBias, q);
    project(byColumn, w.k, w.kBias, k);
    project(byColumn, w.v, w.vBias, v);
    q *= 1.0f / std::sqrt(static_cast<float>(dh));
    Matrix context(x.rows(), d);
    const Index tasks = columns * nHeads;
    ParallelCancel cancel(sink.progress);
#pragma omp parallel
    {
        Matrix scores(rows, rows);
#pragma omp for schedule(dynamic, 4)
        for (Index t = 0; t < tasks; ++t) {
            if (cancel.stop())
                continue;
            const Index c = t / nHeads;
            const int h = static_cast<int>(t % nHeads);
            scores.noalias() = q.block(c * rows, h * dh, rows, dh) * k.block(c * rows, h * dh, rows, dh).transpose();
            softmaxRows(scores);
            sinkRows(sink, static_cast<int>(h * columns + c), 0, scores);
            context.block(c * rows, h * dh, rows, dh).noalias() = scores * v.block(c * rows, h * dh, rows, dh);
        }
    }
    cancel.throwIfCancelled();
    Matrix projected;
    project(context, w.out, w.outBias, projected);
    out = transposeGrid(projected, columns, rows);
}

} // namespace attn
