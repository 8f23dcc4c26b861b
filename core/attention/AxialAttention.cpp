#include "attention/AxialAttention.h"

#include "tensor/Ops.h"
#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

void project(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& w, const Eigen::Map<const Vector>& b, Matrix& y)
{
    y.resize(x.rows(), w.rows());
    y.noalias() = x * w.transpose();
    y.rowwise() += b.transpose();
}

/// Head h's projection x W_h^T + b_h of x [R * C, d], laid out as [C, R * d_head]: column i's
/// features of every row side by side, so that one product sums over the rows and the head's
/// width at once. Projecting one head at a time keeps only [R * C, d_head] alive per head.
Matrix headByColumn(const ConstMatrixRef& x, const Eigen::Map<const Matrix>& w, const Eigen::Map<const Vector>& b,
                    Index rows, Index dh, int h)
{
    const Index columns = x.rows() / rows;
    Matrix p(x.rows(), dh);
    p.noalias() = x * w.middleRows(h * dh, dh).transpose();
    p.rowwise() += b.segment(h * dh, dh).transpose();
    Matrix g(columns, rows * dh);
    for (Index r = 0; r < rows; ++r)
        g.middleCols(r * dh, dh) = p.middleRows(r * columns, columns);
    return g;
}

/// One head of tied row attention: records P, leaves it in scores, and writes the head's slice of context.
void tiedRowHead(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, Index dh, int h, float scale,
                 const AttentionSink& sink, Matrix& scores, Matrix& context)
{
    const Index columns = x.rows() / rows;
    scores.resize(columns, columns);
    {
        Matrix q = headByColumn(x, w.q, w.qBias, rows, dh, h);
        q *= scale; // as fair-esm: q scaled after its bias
        scores.noalias() = q * headByColumn(x, w.k, w.kBias, rows, dh, h).transpose();
    }
    softmaxAndRecord(scores, 0, h, false, sink);
    const Matrix mixed = scores * headByColumn(x, w.v, w.vBias, rows, dh, h);
    for (Index r = 0; r < rows; ++r)
        context.block(r * columns, h * dh, columns, dh) = mixed.middleCols(r * dh, dh);
}

/// Column attention over columns [c0, c0 + n): their tokens gathered column-major, projected,
/// attended over the rows head by head, projected out and scattered back into out.
void columnBlock(const ConstMatrixRef& x, Index rows, Index c0, Index n, const ProjectionWeights& w, int nHeads,
                 const AttentionSink& sink, ParallelCancel& cancel, Matrix& out)
{
    const Index columns = x.rows() / rows, d = x.cols(), dh = d / nHeads;
    Matrix byColumn(n * rows, d); // column c0 + j's rows are contiguous
    for (Index j = 0; j < n; ++j)
        for (Index r = 0; r < rows; ++r)
            byColumn.row(j * rows + r) = x.row(r * columns + c0 + j);
    Matrix q, k, v;
    project(byColumn, w.q, w.qBias, q);
    project(byColumn, w.k, w.kBias, k);
    project(byColumn, w.v, w.vBias, v);
    q *= 1.0f / std::sqrt(static_cast<float>(dh));
    Matrix& context = byColumn; // its input is spent once q, k, v exist
    const Index tasks = n * nHeads;
#pragma omp parallel
    {
        Matrix scores(rows, rows);
#pragma omp for schedule(dynamic, 4)
        for (Index t = 0; t < tasks; ++t) {
            if (cancel.stop())
                continue;
            const Index j = t / nHeads;
            const int h = static_cast<int>(t % nHeads);
            scores.noalias() = q.block(j * rows, h * dh, rows, dh) * k.block(j * rows, h * dh, rows, dh).transpose();
            softmaxRows(scores);
            sinkRows(sink, static_cast<int>(h * columns + c0 + j), 0, scores);
            context.block(j * rows, h * dh, rows, dh).noalias() = scores * v.block(j * rows, h * dh, rows, dh);
        }
    }
    Matrix projected;
    project(context, w.out, w.outBias, projected);
    for (Index j = 0; j < n; ++j)
        for (Index r = 0; r < rows; ++r)
            out.row(r * columns + c0 + j) = projected.row(j * rows + r);
}

} // namespace

void tiedRowAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                      AttentionSink sink, Matrix& out)
{
    const Index dh = x.cols() / nHeads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh)) / std::sqrt(static_cast<float>(rows));
    Matrix context(x.rows(), x.cols());
    ParallelCancel cancel(sink.progress);
#pragma omp parallel for schedule(dynamic) ordered
    for (int h = 0; h < nHeads; ++h) {
        Matrix scores;
        const bool done = !cancel.stop();
        if (done)
            tiedRowHead(x, rows, w, dh, h, scale, sink, scores, context);
#pragma omp ordered
        if (done && sink.rows)
            sink.rows->addRows(sink.layer, h, 0, scores);
    }
    cancel.throwIfCancelled();
    project(context, w.out, w.outBias, out);
}

void columnAttention(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                     AttentionSink sink, Matrix& out, Index blockTokens)
{
    check(sink.rows == nullptr, "column attention hands its maps to a store only");
    const Index columns = x.rows() / rows;
    const Index block = std::max<Index>(1, blockTokens / rows);
    out.resize(x.rows(), x.cols());
    ParallelCancel cancel(sink.progress);
    for (Index c0 = 0; c0 < columns && !cancel.stop(); c0 += block)
        columnBlock(x, rows, c0, std::min(block, columns - c0), w, nHeads, sink, cancel, out);
    cancel.throwIfCancelled();
}

} // namespace attn
