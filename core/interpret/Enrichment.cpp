#include "interpret/Enrichment.h"

#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <unordered_set>

namespace attn {
namespace {

/// A head's confident weights, grouped by what a permutation relabels: the distinct keys (positions)
/// or unordered pairs (pairs), each with its weight summed and its bin.
struct Confident {
    std::vector<Index> items;   ///< Token (positions) or i * T + j with i <= j (pairs).
    std::vector<double> weight; ///< Summed weight of the item's confident entries.
    std::vector<int> bin;
    double total = 0.0;
    long count = 0;
};

/// The labels a permutation is drawn from, per bin: how many items and how many of them are marked.
struct BinCounts {
    std::map<int, std::pair<long, long>> perBin; ///< bin -> (items, marked)
};

bool eligible(const TokenAnnotations& a, Index t)
{
    return a.eligible.empty() || a.eligible[static_cast<std::size_t>(t)];
}

int positionBin(const TokenAnnotations& a, Index t)
{
    return a.positionBins.empty() ? 0 : a.positionBins[static_cast<std::size_t>(t)];
}

Confident confidentOf(const Matrix& map, const TokenAnnotations& a, float threshold)
{
    const Index n = map.rows();
    std::map<Index, std::size_t> at;
    Confident c;
    for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < n; ++j) {
            const float w = map(i, j);
            if (w <= threshold || !eligible(a, i) || !eligible(a, j))
                continue;
            const Index item = a.ofPairs() ? std::min(i, j) * n + std::max(i, j) : j;
            const auto [it, fresh] = at.emplace(item, c.items.size());
            if (fresh) {
                c.items.push_back(item);
                c.weight.push_back(0.0);
                c.bin.push_back(a.ofPairs() ? separationBin(i, j) : positionBin(a, j));
            }
            c.weight[it->second] += w;
            c.total += w;
            ++c.count;
        }
    return c;
}

/// Items, and marked items, per bin over every eligible token or unordered pair.
BinCounts binCounts(const TokenAnnotations& a, Index n, const std::unordered_set<Index>& marked)
{
    BinCounts b;
    for (Index i = 0; i < n; ++i) {
        if (!eligible(a, i))
            continue;
        if (!a.ofPairs()) {
            auto& [items, hits] = b.perBin[positionBin(a, i)];
            ++items;
            hits += a.positions[static_cast<std::size_t>(i)] ? 1 : 0;
            continue;
        }
        for (Index j = i; j < n; ++j)
            if (eligible(a, j)) {
                auto& [items, hits] = b.perBin[separationBin(i, j)];
                ++items;
                hits += marked.count(i * n + j) ? 1 : 0;
            }
    }
    return b;
}

double observedShare(const Confident& c, const std::unordered_set<Index>& marked, const TokenAnnotations& a)
{
    double on = 0.0;
    for (std::size_t k = 0; k < c.items.size(); ++k) {
        const bool hit = a.ofPairs() ? marked.count(c.items[k]) > 0 : a.positions[static_cast<std::size_t>(c.items[k])] != 0;
        on += hit ? c.weight[k] : 0.0;
    }
    return c.total > 0 ? on / c.total : 0.0;
}

/// One draw of the share under the null: within each bin, the head's items take the labels of a
/// uniform shuffle of that bin's labels (drawn one item at a time without replacement).
double nullShare(const Confident& c, const BinCounts& bins, std::mt19937& random)
{
    std::map<int, std::pair<long, long>> left = bins.perBin;
    double on = 0.0;
    for (std::size_t k = 0; k < c.items.size(); ++k) {
        auto& [items, hits] = left[c.bin[k]];
        const bool hit = items > 0 && std::uniform_int_distribution<long>(0, items - 1)(random) < hits;
        hits -= hit ? 1 : 0;
        items -= 1;
        on += hit ? c.weight[k] : 0.0;
    }
    return c.total > 0 ? on / c.total : 0.0;
}

std::unordered_set<Index> markedPairs(const TokenAnnotations& a, Index n)
{
    std::unordered_set<Index> marked;
    for (const auto& [i, j] : a.pairs) {
        check<ShapeError>(i >= 0 && j >= 0 && i < n && j < n, "an annotated pair lies outside the run's tokens");
        marked.insert(std::min(i, j) * n + std::max(i, j));
    }
    return marked;
}

double backgroundShare(const BinCounts& b, const TokenAnnotations& a)
{
    long items = 0, hits = 0, diagonal = 0, diagonalHits = 0;
    for (const auto& [bin, counts] : b.perBin) {
        items += counts.first;
        hits += counts.second;
        diagonal += bin == 0 ? counts.first : 0;
        diagonalHits += bin == 0 ? counts.second : 0;
    }
    if (!a.ofPairs())
        return items > 0 ? static_cast<double>(hits) / static_cast<double>(items) : 0.0;
    // over ordered (query, key) pairs: an unordered pair i != j is two weights, (i, i) one
    const long ordered = 2 * (items - diagonal) + diagonal;
    const long markedOrdered = 2 * (hits - diagonalHits) + diagonalHits;
    return ordered > 0 ? static_cast<double>(markedOrdered) / static_cast<double>(ordered) : 0.0;
}

} // namespace

int separationBin(Index i, Index j)
{
    const Index s = i > j ? i - j : j - i;
    int bin = 0;
    for (Index v = s; v > 0; v >>= 1)
        ++bin;
    return bin; // the bit length of s: 0 -> 0, 1 -> 1, 2-3 -> 2, 4-7 -> 3, 8-15 -> 4, ...
}

std::vector<double> benjaminiHochberg(const std::vector<double>& p)
{
    const std::size_t m = p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::vector<double> q(m);
    double running = 1.0;
    for (std::size_t r = m; r-- > 0;) {
        running = std::min(running, p[order[r]] * static_cast<double>(m) / static_cast<double>(r + 1));
        q[order[r]] = running;
    }
    return q;
}

std::vector<HeadEnrichment> headEnrichment(const AttentionStore& store, const TokenAnnotations& a, const EnrichmentOptions& o,
                                           Progress* progress)
{
    const Index n = store.length();
    check<ShapeError>(a.ofPairs() || static_cast<Index>(a.positions.size()) == n, "the annotations cover another number of tokens");
    const std::unordered_set<Index> marked = markedPairs(a, n);
    const BinCounts bins = binCounts(a, n, marked);
    const double background = backgroundShare(bins, a);
    Progress none;
    Progress& p = progress ? *progress : none;
    std::vector<HeadEnrichment> out;
    std::vector<std::size_t> tested;
    for (int l = 0; l < store.layers(); ++l) {
        if (!store.hasLayer(l))
            continue;
        for (int h = 0; h < store.heads(); ++h) {
            p.step(l * store.heads() + h, store.layers() * store.heads(), "permutations");
            const Confident c = confidentOf(store.head(l, h), a, o.threshold);
            HeadEnrichment e{l, h, observedShare(c, marked, a), background, c.count, std::nullopt, std::nullopt};
            if (c.count >= o.minimumCount) {
                std::mt19937 random(o.seed + static_cast<unsigned>(out.size()));
                long atLeast = 0;
                for (int k = 0; k < o.permutations; ++k)
                    atLeast += nullShare(c, bins, random) >= e.share - 1e-12 ? 1 : 0;
                e.p = (1.0 + static_cast<double>(atLeast)) / (1.0 + static_cast<double>(o.permutations));
                tested.push_back(out.size());
            }
            out.push_back(e);
        }
    }
    std::vector<double> pv;
    for (std::size_t i : tested)
        pv.push_back(*out[i].p);
    const std::vector<double> q = benjaminiHochberg(pv);
    for (std::size_t k = 0; k < tested.size(); ++k)
        out[tested[k]].q = q[k];
    return out;
}

} // namespace attn
