#include "attention/MultiHeadAttention.h"

#include "tensor/Ops.h"
#include "tensor/SoftmaxRow.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {
namespace {

void maskScores(MatrixRef scores, Index row0, const AttentionMask& mask, int head)
{
    if (!mask.alibiSlopes.empty()) {
        const float slope = mask.alibiSlopes[static_cast<std::size_t>(head)];
        for (Index r = 0; r < scores.rows(); ++r)
            for (Index j = 0; j < scores.cols(); ++j)
                scores(r, j) += -slope * static_cast<float>(std::abs(row0 + r - j));
    }
    if (mask.keyPadding.empty() && !mask.causal)
        return;
    constexpr float negInf = -std::numeric_limits<float>::infinity();
    for (Index r = 0; r < scores.rows(); ++r)
        for (Index j = 0; j < scores.cols(); ++j)
            if (mask.masked(row0 + r, j))
                scores(r, j) = negInf;
}

/// Task t of scaled dot-product attention: one head's block of query rows.
struct QueryBlock {
    int head;
    Index row0, rows;
};

QueryBlock queryBlock(Index t, Index blocks, Index blockRows, Index length)
{
    const Index row0 = (t % blocks) * blockRows;
    return {static_cast<int>(t / blocks), row0, std::min(blockRows, length - row0)};
}

/// The attention of x's first `rows` queries when nothing of it is recorded, its keys and values
/// folded into the query side. Per head: q (W_K x_j + b_K) differs from u x_j, u = q W_K, by
/// q b_K, the same for every key, which the softmax ignores; and the weights summing to 1, the
/// output is (sum_j a_j x_j) W_V^T + b_V. That is 2 rows T d products per head where projecting
/// every token's key and value costs 2 T d^2: a classifier's last layer, read at [CLS] alone.
void foldedQueryContext(const ConstMatrixRef& x, const AttentionWeights& w, int nHeads, const AttentionMask& mask,
                        const AttentionSink& sink, Index rows, Matrix& context)
{
    const Index d = x.cols(), dh = d / nHeads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
    Matrix q = x.topRows(rows) * w.inProj.topRows(d).transpose();
    q.rowwise() += w.inBias.head(d).transpose();
    context.resize(rows, d);
    const bool masked = !mask.keyPadding.empty() || mask.causal;
    for (int h = 0; h < nHeads; ++h) {
        const int source = sink.edits ? sink.edits->sourceHead(h) : h;
        const Matrix u = (q.middleCols(source * dh, dh) * scale) * w.inProj.middleRows(d + source * dh, dh); // PyTorch scales q first
        Matrix s = u * x.transpose();
        maskScores(s, 0, mask, source);
        softmaxAndRecord(s, 0, h, masked, sink);
        const Matrix mixed = s * x;
        context.middleCols(h * dh, dh).noalias() = mixed * w.inProj.middleRows(2 * d + h * dh, dh).transpose();
        context.middleCols(h * dh, dh).rowwise() += w.inBias.segment(2 * d + h * dh, dh).transpose();
    }
}

} // namespace

/// Query rows per task: as many as keep the block of scores within 1 MiB (half a core's L2 on the
/// build machines), 64 to 256. Larger blocks pack each head's keys and values fewer times: with
/// AVX-512, Eigen ran the attention's products at 66-68 % of its 2048^3 GEMM rate in blocks of 64
/// rows against 78-83 % in blocks of 256 (L = 1,002, 2 threads).
Index queryBlockRows(Index length)
{
    constexpr Index kScoreFloats = Index{1} << 18;
    return std::clamp<Index>(kScoreFloats / std::max<Index>(length, 1) / 16 * 16, 64, 256);
}

void scoreSpread(const ConstMatrixRef& scores, bool masked, float* out)
{
    if (!masked) {
        for (Index r = 0; r < scores.rows(); ++r) { // rows are contiguous: vectorised reductions
            const auto row = scores.row(r).array();
            const float mean = row.mean();
            out[r] = std::sqrt((row - mean).square().mean());
        }
        return;
    }
    for (Index r = 0; r < scores.rows(); ++r) {
        const auto row = scores.row(r).array();
        const auto finite = row.isFinite();
        const Index n = finite.count();
        const float mean = n > 0 ? finite.select(row, 0.0f).sum() / static_cast<float>(n) : 0.0f;
        const float squares = finite.select((row - mean).square(), 0.0f).sum();
        out[r] = n > 0 ? std::sqrt(squares / static_cast<float>(n)) : 0.0f;
    }
}

void sinkRows(const AttentionSink& sink, int head, Index row0, const ConstMatrixRef& rows)
{
    if (sink.store)
        sink.store->writeRows(sink.layer, head, row0, rows);
}

void softmaxAndRecord(MatrixRef scores, Index row0, int head, bool masked, const AttentionSink& sink)
{
    const float inverseTemperature = sink.edits ? sink.edits->inverseTemperatureOf(head) : 1.0f;
    const bool uniform = sink.edits && sink.edits->uniformOf(head);
    const bool fused = !masked && !uniform && inverseTemperature == 1.0f; // the usual case: spread and softmax in three passes
    for (Index r = 0; r < scores.rows(); ++r) {
        auto row = scores.row(r); // 8 KiB at L = 2,048: every step below reads it from L1
        if (inverseTemperature != 1.0f)
            row *= inverseTemperature; // a masked key's -inf stays -inf
        float spread = 0;
        if (sink.store && fused)
            spread = softmaxWithSpread(row.data(), row.size());
        else if (sink.store)
            scoreSpread(row, masked, &spread);
        if (sink.store)
            sink.store->writeScoreSpread(sink.layer, head, row0 + r, &spread, 1);
        if (uniform) // every key the query may attend scores alike: the softmax gives 1/n each
            row = row.array().isFinite().select(0.0f, row);
        if (!sink.store || !fused)
            softmaxRows(row);
        sinkRows(sink, head, row0 + r, row);
    }
}

RowVector rotaryFrequencies(Index headDim)
{
    RowVector invFreq(headDim / 2);
    for (Index i = 0; i < invFreq.size(); ++i)
        invFreq(i) = 1.0f / std::pow(10000.0f, static_cast<float>(2 * i) / static_cast<float>(headDim));
    return invFreq;
}

void applyRotary(MatrixRef x, int nHeads, const RowVector& invFreq)
{
    const Index dh = x.cols() / nHeads;
    const Index half = dh / 2;
    eachRow(x, [&](auto, Index p) {
        const RowVector angle = static_cast<float>(p) * invFreq;
        // The C library's cos and sin, not Eigen's packet versions: GCC 12 warns falsely inside
        // its AVX-512 intrinsics when it inlines those (-Wuninitialized), and 2 x dh/2 calls per
        // token are nothing beside the products.
        const RowVector c = angle.unaryExpr([](float a) { return std::cos(a); });
        const RowVector s = angle.unaryExpr([](float a) { return std::sin(a); });
        for (int h = 0; h < nHeads; ++h) {
            auto a = x.row(p).segment(h * dh, half);
            auto b = x.row(p).segment(h * dh + half, half);
            const RowVector a0 = a;
            a = (a0.array() * c.array() - b.array() * s.array()).matrix();
            b = (b.array() * c.array() + a0.array() * s.array()).matrix();
        }
    });
}

void scaledDotProductAttention(const ConstMatrixRef& q, const ConstMatrixRef& k, const ConstMatrixRef& v,
                               int nHeads, const AttentionMask& mask, AttentionSink sink, Matrix& context)
{
    const Index length = q.rows(); // queries: every key (k's rows) may have more (a last layer read at [CLS] alone)
    const Index keys = k.rows();
    const Index dh = q.cols() / nHeads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
    const Index blockRows = std::min(queryBlockRows(keys), length);
    const Index blocks = (length + blockRows - 1) / blockRows;
    const Index tasks = blocks * nHeads;
    context.resize(length, q.cols());
    const bool masked = !mask.keyPadding.empty() || mask.causal;
    ParallelCancel cancel(sink.progress); // a Cancel seen by any thread: the remaining blocks are skipped
    const auto blockOf = [&](Index t) { return queryBlock(t, blocks, blockRows, length); };
#pragma omp parallel
    {
        Matrix scores(blockRows, keys);
        Matrix scaledQ(blockRows, dh);
        const auto attend = [&](const QueryBlock& b) { // leaves the block's weights in scores
            auto s = scores.topRows(b.rows);
            const int source = sink.edits ? sink.edits->sourceHead(b.head) : b.head;
            // PyTorch scales q before the product; doing the same keeps rounding alike.
            scaledQ.topRows(b.rows) = q.block(b.row0, source * dh, b.rows, dh) * scale;
            s.noalias() = scaledQ.topRows(b.rows) * k.middleCols(source * dh, dh).transpose();
            maskScores(s, b.row0, mask, source);
            softmaxAndRecord(s, b.row0, b.head, masked, sink);
            context.block(b.row0, b.head * dh, b.rows, dh).noalias() = s * v.middleCols(b.head * dh, dh);
        };
        if (sink.rows) { // the consumer takes the blocks in task order, one at a time
#pragma omp for schedule(dynamic) ordered
            for (Index t = 0; t < tasks; ++t) {
                const QueryBlock b = blockOf(t);
                const bool done = !cancel.stop();
                if (done)
                    attend(b);
#pragma omp ordered
                if (done)
                    sink.rows->addRows(sink.layer, b.head, b.row0, scores.topRows(b.rows));
            }
        } else { // nothing to order, so no thread waits for another's turn
#pragma omp for schedule(dynamic)
            for (Index t = 0; t < tasks; ++t)
                if (!cancel.stop())
                    attend(blockOf(t));
        }
    }
    cancel.throwIfCancelled();
}

void finishHeadOutputs(const AttentionSink& sink, MatrixRef context, int nHeads, const std::vector<bool>& padding)
{
    if (sink.edits && sink.edits->outputs)
        applyOutputEdits(*sink.edits, context, nHeads, nullptr, padding);
    if (sink.recorder)
        sink.recorder->headOutputs(sink.layer, sink.part, context);
}

void selfAttentionContext(const ConstMatrixRef& x, const AttentionWeights& w, int nHeads, const RowVector* rotary,
                          const AttentionMask& mask, AttentionSink sink, AttentionScratch& scratch, Index queries)
{
    const Index d = x.cols();
    Matrix& context = scratch.context;
    if (queries > 0 && !rotary && !sink.store && !sink.rows && !sink.recorder) {
        foldedQueryContext(x, w, nHeads, mask, sink, queries, context);
        return finishHeadOutputs(sink, context, nHeads, mask.keyPadding);
    }
    Matrix& qkv = scratch.qkv;
    linear(x, w.inProj, w.inBias, qkv);
    if (rotary) {
        applyRotary(qkv.leftCols(d), nHeads, *rotary);
        applyRotary(qkv.middleCols(d, d), nHeads, *rotary);
    }
    const Index rows = queries > 0 ? queries : x.rows();
    scaledDotProductAttention(qkv.topLeftCorner(rows, d), qkv.middleCols(d, d), qkv.rightCols(d), nHeads, mask, sink, context);
    finishHeadOutputs(sink, context, nHeads, mask.keyPadding);
}

} // namespace attn
