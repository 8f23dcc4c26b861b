#include "interpret/HeadStatistics.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace attn {
namespace {

bool isPadding(const std::vector<bool>& pad, Index i)
{
    return !pad.empty() && pad[static_cast<std::size_t>(i)];
}

} // namespace

HeadStats headStatistics(const AttentionStore& store, const std::vector<bool>& keyPadding, const TokenAxis& axis, int layer, int head)
{
    check<ShapeError>(static_cast<Index>(axis.size()) == store.length(), "the token axis has " + std::to_string(axis.size()) + " tokens, the attention "
                                                        + std::to_string(store.length()));
    const Matrix a = store.head(layer, head);
    HeadStats s;
    s.layer = layer;
    s.head = head;
    Index rows = 0, placedRows = 0;
    std::vector<double> distance; // from query i to every key
    for (Index i = 0; i < a.rows(); ++i) {
        if (isPadding(keyPadding, i))
            continue;
        ++rows;
        const bool placed = axis.placed(i);
        placedRows += placed ? 1 : 0;
        if (placed)
            axis.distancesFrom(i, distance);
        Index support = 0;
        for (Index j = 0; j < a.cols(); ++j) {
            const double w = a(i, j);
            if (w > 0.0)
                s.entropyBits -= w * std::log2(w);
            if (placed) {
                const double dij = distance[static_cast<std::size_t>(j)]; // NaN when key j has no place
                if (!std::isnan(dij))
                    s.meanDistance += w * dij;
            }
            if (isPadding(keyPadding, j))
                s.paddingMass += w;
            else
                ++support;
        }
        s.maxEntropyBits += std::log2(static_cast<double>(std::max<Index>(support, 1)));
        s.clsMass += a(i, 0);
        s.scoreSpread += store.scoreSpread(layer, head, i);
    }
    if (rows > 0) {
        const double n = static_cast<double>(rows);
        s.entropyBits /= n;
        s.maxEntropyBits /= n;
        s.meanDistance /= static_cast<double>(std::max<Index>(placedRows, 1));
        s.clsMass /= n;
        s.paddingMass /= n;
        s.scoreSpread /= n;
    }
    s.temperature = s.scoreSpread > 0.0 ? 1.0 / s.scoreSpread : std::numeric_limits<double>::infinity();
    return s;
}

std::vector<HeadStats> headStatistics(const AttentionStore& store, const std::vector<bool>& keyPadding, const TokenAxis& axis)
{
    std::vector<HeadStats> all;
    for (int l = 0; l < store.layers(); ++l)
        if (store.hasLayer(l))
            for (int h = 0; h < store.heads(); ++h)
                all.push_back(headStatistics(store, keyPadding, axis, l, h));
    return all;
}

} // namespace attn
