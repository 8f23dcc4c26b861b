#include "interpret/TimeGapProfile.h"

#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>
#include <cmath>

namespace attn {

const std::vector<double>& timeGapEdges()
{
    static const std::vector<double> edges{0, 1, 7, 30, 90, 365, 1095, 3650};
    return edges;
}

namespace {

std::size_t binOf(double gap)
{
    const auto& e = timeGapEdges();
    return static_cast<std::size_t>(std::upper_bound(e.begin(), e.end(), gap) - e.begin()) - 1;
}

} // namespace

namespace {

std::vector<Index> placedTokens(const TokenAxis& axis)
{
    std::vector<Index> placed;
    for (Index i = 0; i < axis.size(); ++i)
        if (axis.placed(i))
            placed.push_back(i);
    return placed;
}

} // namespace

std::vector<double> uniformTimeGapShare(const TokenAxis& axis)
{
    const std::vector<Index> placed = placedTokens(axis);
    std::vector<double> share(timeGapEdges().size(), 0.0);
    if (placed.size() < 2)
        return share;
    const double others = static_cast<double>(placed.size() - 1);
    for (const Index q : placed)
        for (const Index k : placed)
            if (k != q)
                share[binOf(std::abs(axis.position[static_cast<std::size_t>(q)][0] - axis.position[static_cast<std::size_t>(k)][0]))]
                    += 1.0 / others;
    for (double& s : share)
        s /= static_cast<double>(placed.size());
    return share;
}

namespace {

/// One head's profile over the placed query events; stops early (its numbers then unused) when
/// cancellation is asked.
HeadTimeGap headProfile(const AttentionStore& store, const TokenAxis& axis, const std::vector<Index>& placed, int layer, int h,
                        ParallelCancel& cancel)
{
    HeadTimeGap p;
    const std::size_t bins = timeGapEdges().size();
    p.share.assign(bins, 0.0);
    std::vector<double> share(bins);
    int queries = 0;
    for (const Index q : placed) {
        if (cancel.stop())
            return p;
        const RowVector row = store.row(layer, h, q);
        const double tq = axis.position[static_cast<std::size_t>(q)][0];
        std::fill(share.begin(), share.end(), 0.0);
        double total = 0, weightedGap = 0, back = 0;
        for (const Index k : placed) {
            if (k == q)
                continue;
            const double w = row[k], dt = tq - axis.position[static_cast<std::size_t>(k)][0];
            share[binOf(std::abs(dt))] += w;
            total += w;
            weightedGap += w * std::abs(dt);
            back += k < q ? w : 0.0; // tokens are in time order (ties: input order)
        }
        if (total <= 0)
            continue;
        ++queries;
        for (std::size_t b = 0; b < bins; ++b)
            p.share[b] += share[b] / total;
        p.meanDays += weightedGap / total;
        p.backShare += back / total;
    }
    if (queries > 0) {
        for (double& s : p.share)
            s /= queries;
        p.meanDays /= queries;
        p.backShare /= queries;
    }
    return p;
}

} // namespace

std::vector<HeadTimeGap> timeGapProfile(const AttentionStore& store, const TokenAxis& axis, int layer, const Progress* progress)
{
    check<ShapeError>(store.hasLayer(layer), "layer " + std::to_string(layer) + "'s attention was not kept");
    check<ShapeError>(static_cast<Index>(axis.size()) == store.length(), "the token axis does not match the run");
    const std::vector<Index> placed = placedTokens(axis);
    std::vector<HeadTimeGap> out(static_cast<std::size_t>(store.heads()));
    ParallelCancel cancel(progress);
#pragma omp parallel for schedule(dynamic)
    for (int h = 0; h < store.heads(); ++h) // O(T^2) per head: one head a thread
        out[static_cast<std::size_t>(h)] = headProfile(store, axis, placed, layer, h, cancel);
    cancel.throwIfCancelled();
    return out;
}

} // namespace attn
