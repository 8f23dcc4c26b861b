#include "interpret/Rollout.h"

#include "util/Error.h"

#include <algorithm>
#include <numeric>

namespace attn {
namespace {

bool padded(const std::vector<bool>& pad, Index i)
{
    return !pad.empty() && pad[static_cast<std::size_t>(i)];
}

Matrix fuseHeads(const AttentionStore& store, int layer, HeadFusion fusion)
{
    Matrix fused = store.head(layer, 0);
    for (int h = 1; h < store.heads(); ++h) {
        const Matrix m = store.head(layer, h);
        if (fusion == HeadFusion::Mean)
            fused += m;
        else if (fusion == HeadFusion::Max)
            fused = fused.cwiseMax(m);
        else
            fused = fused.cwiseMin(m);
    }
    if (fusion == HeadFusion::Mean)
        fused /= static_cast<float>(store.heads());
    return fused;
}

/// Zeroes the floor(ratio * n) smallest eligible entries (not column 0, not padding).
void discardLowest(Matrix& w, float ratio, const std::vector<bool>& pad)
{
    std::vector<Index> eligible;
    for (Index i = 0; i < w.rows(); ++i)
        for (Index j = 1; j < w.cols(); ++j)
            if (!padded(pad, i) && !padded(pad, j))
                eligible.push_back(i * w.cols() + j);
    const auto n = static_cast<std::size_t>(static_cast<double>(ratio) * static_cast<double>(eligible.size()));
    if (n == 0)
        return;
    float* data = w.data();
    auto less = [data](Index a, Index b) { return data[a] < data[b] || (data[a] == data[b] && a < b); };
    std::nth_element(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(n - 1), eligible.end(), less);
    for (std::size_t k = 0; k < n; ++k)
        data[eligible[k]] = 0.0f;
}

} // namespace

HeadFusion parseHeadFusion(const std::string& name)
{
    if (name == "mean")
        return HeadFusion::Mean;
    if (name == "max")
        return HeadFusion::Max;
    if (name == "min")
        return HeadFusion::Min;
    throw Error("unknown head fusion '" + name + "' (expected mean, max or min)");
}

std::string headFusionName(HeadFusion fusion)
{
    return fusion == HeadFusion::Mean ? "mean" : fusion == HeadFusion::Max ? "max" : "min";
}

Matrix rolloutLayerMatrix(const AttentionStore& store, int layer, const std::vector<bool>& keyPadding,
                          const RolloutOptions& options)
{
    Matrix a = fuseHeads(store, layer, options.fusion);
    if (options.discardRatio > 0.0f)
        discardLowest(a, options.discardRatio, keyPadding);
    a.diagonal().array() += 1.0f;
    a *= 0.5f;
    for (Index i = 0; i < a.rows(); ++i) {
        if (padded(keyPadding, i)) {
            a.row(i).setZero();
            a.col(i).setZero();
        }
    }
    for (Index i = 0; i < a.rows(); ++i) {
        const float sum = a.row(i).sum();
        if (sum > 0.0f)
            a.row(i) /= sum;
    }
    return a;
}

namespace {

void checkRollout(const AttentionStore& store, const RolloutOptions& options)
{
    check(options.discardRatio >= 0.0f && options.discardRatio < 1.0f,
          "rollout discard ratio must be in [0, 1), got " + std::to_string(options.discardRatio));
    check(options.startLayer >= 0 && options.startLayer < store.layers(),
          "rollout start layer " + std::to_string(options.startLayer) + " does not exist (the model has "
              + std::to_string(store.layers()) + " layers)");
    for (int l = options.startLayer; l < store.layers(); ++l)
        check(store.hasLayer(l), "rollout from layer " + std::to_string(options.startLayer)
                                     + " needs the attention of every later layer, but layer " + std::to_string(l)
                                     + " was not kept");
}

} // namespace

Matrix attentionRollout(const AttentionStore& store, const std::vector<bool>& keyPadding,
                        const RolloutOptions& options)
{
    checkRollout(store, options);
    Matrix r = rolloutLayerMatrix(store, options.startLayer, keyPadding, options);
    for (int l = options.startLayer + 1; l < store.layers(); ++l)
        r = rolloutLayerMatrix(store, l, keyPadding, options) * r;
    return r;
}

RowVector rolloutRow(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options,
                     Index query)
{
    checkRollout(store, options);
    check(query >= 0 && query < store.length(), "rollout row " + std::to_string(query) + " does not exist");
    RowVector v = RowVector::Zero(store.length());
    v(query) = 1.0f;
    for (int l = store.layers() - 1; l >= options.startLayer; --l)
        v = v * rolloutLayerMatrix(store, l, keyPadding, options);
    return v;
}

RowVector rolloutMeanRow(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options)
{
    checkRollout(store, options);
    RowVector v = RowVector::Constant(store.length(), 1.0f / static_cast<float>(store.length()));
    for (int l = store.layers() - 1; l >= options.startLayer; --l)
        v = v * rolloutLayerMatrix(store, l, keyPadding, options);
    return v;
}

RolloutChain::RolloutChain(const AttentionStore& store, const std::vector<bool>& keyPadding, const RolloutOptions& options,
                           Progress* progress)
{
    checkRollout(store, options);
    const long total = store.layers() - options.startLayer;
    for (int l = options.startLayer; l < store.layers(); ++l) {
        if (progress)
            progress->step(l - options.startLayer, total, "fusing the heads of layer " + std::to_string(l));
        layers_.push_back(rolloutLayerMatrix(store, l, keyPadding, options));
    }
}

RowVector RolloutChain::row(Index query, Progress* progress) const
{
    const Index length = layers_.empty() ? 0 : layers_.front().rows();
    check(query >= 0 && query < length, "rollout row " + std::to_string(query) + " does not exist");
    RowVector v = RowVector::Zero(length);
    v(query) = 1.0f;
    long done = 0;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) { // from the top layer down, as rolloutRow
        if (progress)
            progress->step(done++, static_cast<long>(layers_.size()), "rollout row of token " + std::to_string(query));
        v = v * *it;
    }
    return v;
}

} // namespace attn
