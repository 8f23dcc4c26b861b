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
/// A head that copies another's weights takes that head's queries and keys.
void tiedRowHead(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, Index dh, int h, float scale,
                 const AttentionSink& sink, Matrix& scores, Matrix& context)
{
    const Index columns = x.rows() / rows;
    const int source = sink.edits ? sink.edits->sourceHead(h) : h;
    scores.resize(columns, columns);
    {
        Matrix q = headByColumn(x, w.q, w.qBias, rows, dh, source);
        q *= scale; // as fair-esm: q scaled after its bias
        scores.noalias() = q * headByColumn(x, w.k, w.kBias, rows, dh, source).transpose();
    }
    softmaxAndRecord(scores, 0, h, false, sink);
    const Matrix mixed = scores * headByColumn(x, w.v, w.vBias, rows, dh, h);
    for (Index r = 0; r < rows; ++r)
        context.block(r * columns, h * dh, columns, dh) = mixed.middleCols(r * dh, dh);
}

/// Column attention's context over columns [c0, c0 + n): their tokens gathered column-major (column
/// c0 + j's rows at j * rows), projected, attended over the rows head by head (with the sink's
/// edits of the weights; a head that copies another takes that head's queries and keys).
Matrix columnContext(const ConstMatrixRef& x, Index rows, Index c0, Index n, const ProjectionWeights& w, int nHeads,
                     const AttentionSink& sink, ParallelCancel& cancel)
{
    const Index columns = x.rows() / rows, d = x.cols(), dh = d / nHeads;
    Matrix byColumn(n * rows, d);
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
            const int s = sink.edits ? sink.edits->sourceHead(h) : h;
            scores.noalias() = q.block(j * rows, s * dh, rows, dh) * k.block(j * rows, s * dh, rows, dh).transpose();
            if (sink.edits)
                editLogits(scores, *sink.edits, h);
            softmaxRows(scores);
            sinkRows(sink, static_cast<int>(h * columns + c0 + j), 0, scores);
            context.block(j * rows, h * dh, rows, dh).noalias() = scores * v.block(j * rows, h * dh, rows, dh);
        }
    }
    return context;
}

/// Puts rows of a block in column-major order (column c0 + j's row r at j * rows + r) back at their
/// tokens' rows r * columns + c0 + j of out.
void scatterColumns(const ConstMatrixRef& block, Index rows, Index columns, Index c0, MatrixRef out)
{
    const Index n = block.rows() / rows;
    for (Index j = 0; j < n; ++j)
        for (Index r = 0; r < rows; ++r)
            out.row(r * columns + c0 + j) = block.row(j * rows + r);
}

/// The mean of every head's output over all tokens, with the weights' edits: a first pass that keeps
/// nothing else, for a Mean edit of column attention (which otherwise sees a block at a time).
RowVector columnOutputMeans(const ConstMatrixRef& x, Index rows, const ProjectionWeights& w, int nHeads,
                            const AttentionSink& sink, Index block, ParallelCancel& cancel)
{
    AttentionSink quiet = sink;
    quiet.store = nullptr;
    const Index columns = x.rows() / rows;
    RowVector sum = RowVector::Zero(x.cols());
    for (Index c0 = 0; c0 < columns && !cancel.stop(); c0 += block)
        sum += columnContext(x, rows, c0, std::min(block, columns - c0), w, nHeads, quiet, cancel).colwise().sum();
    return sum / static_cast<float>(x.rows());
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
    finishHeadOutputs(sink, context, nHeads, {});
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
    const bool means = sink.edits && sink.edits->meansOutputs();
    const RowVector mean = means ? columnOutputMeans(x, rows, w, nHeads, sink, block, cancel) : RowVector();
    Matrix recorded(sink.recorder ? x.rows() : 0, x.cols()); // every head's output in token order, for the recorder
    for (Index c0 = 0; c0 < columns && !cancel.stop(); c0 += block) {
        Matrix context = columnContext(x, rows, c0, std::min(block, columns - c0), w, nHeads, sink, cancel);
        if (sink.edits && sink.edits->outputs)
            applyOutputEdits(*sink.edits, context, nHeads, &mean, {});
        if (sink.recorder)
            scatterColumns(context, rows, columns, c0, recorded);
        Matrix projected;
        project(context, w.out, w.outBias, projected);
        scatterColumns(projected, rows, columns, c0, out);
    }
    cancel.throwIfCancelled();
    if (sink.recorder)
        sink.recorder->headOutputs(sink.layer, sink.part, recorded);
}

} // namespace attn
