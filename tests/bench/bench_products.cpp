// attnscope-bench products TOKENS D FF HEADS [gated] [repeats]: what the GEMM rate allows an
// encoder layer. Times one layer's matrix products alone, as the kernel runs them (Eigen's
// parallel GEMM for the projections and the feed-forward; each head's scores and context in the
// kernel's blocks of query rows, the blocks over the threads) without the softmax, the recording
// of the attention or any other pass, against Eigen's 2048^3 rate timed after each run. A forward
// pass cannot reach a larger share of the GEMM rate than this with Eigen's products.

#include "attention/MultiHeadAttention.h"

#include "BenchTiming.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace attn::bench {
namespace {

struct LayerShape {
    Index tokens, d, ff;
    int heads;
    bool gated;
};

/// The layer's weights: the q, k, v projection, the output projection, the feed-forward's two.
struct LayerWeights {
    Matrix qkv, out, in, outFf;
};

void projections(const LayerShape& s, const Matrix& x, const LayerWeights& w, Matrix& qkv, Matrix& hidden, Matrix& y)
{
    qkv.noalias() = x * w.qkv.transpose();
    y.noalias() += qkv.leftCols(s.d) * w.out.transpose();
    hidden.noalias() = y * w.in.transpose();
    y.noalias() += hidden.leftCols(s.ff) * w.outFf.transpose();
}

void attentionProducts(const LayerShape& s, const Matrix& qkv, Matrix& context)
{
    const Index dh = s.d / s.heads, rowsPerBlock = queryBlockRows(s.tokens);
    const Index blocks = (s.tokens + rowsPerBlock - 1) / rowsPerBlock;
#pragma omp parallel
    {
        Matrix scores(rowsPerBlock, s.tokens);
#pragma omp for schedule(dynamic)
        for (Index t = 0; t < blocks * s.heads; ++t) {
            const Index h = t / blocks, row0 = (t % blocks) * rowsPerBlock, rows = std::min(rowsPerBlock, s.tokens - row0);
            scores.topRows(rows).noalias() = qkv.block(row0, h * dh, rows, dh) * qkv.middleCols(s.d + h * dh, dh).transpose();
            context.block(row0, h * dh, rows, dh).noalias() = scores.topRows(rows) * qkv.middleCols(2 * s.d + h * dh, dh);
        }
    }
}

} // namespace

int productsBench(int argc, char** argv)
{
    const LayerShape s{std::stol(argv[2]), std::stol(argv[3]), std::stol(argv[4]), std::stoi(argv[5]),
                       argc > 6 && std::string(argv[6]) == "gated"};
    const int repeats = argc > 7 ? std::stoi(argv[7]) : 5;
    const Index ffIn = s.gated ? 2 * s.ff : s.ff;
    const Matrix x = Matrix::Random(s.tokens, s.d);
    const LayerWeights w{Matrix::Random(3 * s.d, s.d), Matrix::Random(s.d, s.d), Matrix::Random(ffIn, s.d), Matrix::Random(s.d, s.ff)};
    Matrix qkv(s.tokens, 3 * s.d), hidden(s.tokens, ffIn), y = Matrix::Zero(s.tokens, s.d), context(s.tokens, s.d);
    std::vector<double> gemms;
    const Timing t = timeRuns(
        repeats,
        [&] {
            projections(s, x, w, qkv, hidden, y);
            attentionProducts(s, qkv, context);
        },
        [&] { gemms.push_back(gemmRate(2048, 1)); });
    const double gemm = *std::max_element(gemms.begin(), gemms.end());
    const double tokens = static_cast<double>(s.tokens), d = static_cast<double>(s.d);
    const double flops = 2 * tokens * d * (4 * d + static_cast<double>(ffIn + s.ff)) + 4 * tokens * tokens * d;
    std::cout << nlohmann::json{{"impl", "eigen_layer_products"}, {"tokens", s.tokens}, {"d", s.d}, {"ff", s.ff},
                                {"heads", s.heads}, {"gated", s.gated}, {"threads", threads()}, {"seconds", t.best},
                                {"gflops", flops / t.best / 1e9}, {"gemm_gflops_between_runs", gemm},
                                {"share_of_gemm", flops / t.best / 1e9 / gemm}, {"runs_seconds", t.runs},
                                {"gemm_gflops_around_runs", gemms}, {"flops", flops}}
                     .dump()
              << "\n";
    return 0;
}

} // namespace attn::bench
