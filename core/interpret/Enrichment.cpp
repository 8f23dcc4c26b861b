#include "interpret/Enrichment.h"

#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>
#include <cmath>
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
    long diagonal = 0, diagonalHits = 0;         ///< Pairs: the (i, i) among them.
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
                c.bin.push_back(a.ofPairs() ? pairBin(a, i, j) : positionBin(a, j));
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
                auto& [items, hits] = b.perBin[pairBin(a, i, j)];
                const bool hit = marked.count(i * n + j) > 0;
                ++items;
                hits += hit ? 1 : 0;
                b.diagonal += i == j ? 1 : 0;
                b.diagonalHits += i == j && hit ? 1 : 0;
            }
    }
    return b;
}

/// The weight of a head's confident entries on marks.
double observedOn(const Confident& c, const std::unordered_set<Index>& marked, const TokenAnnotations& a)
{
    double on = 0.0;
    for (std::size_t k = 0; k < c.items.size(); ++k) {
        const bool hit = a.ofPairs() ? marked.count(c.items[k]) > 0 : a.positions[static_cast<std::size_t>(c.items[k])] != 0;
        on += hit ? c.weight[k] : 0.0;
    }
    return on;
}

/// The same under one draw of the null: within each bin, the head's items take the labels of a uniform
/// shuffle of that bin's labels (drawn one item at a time without replacement).
double nullOn(const Confident& c, const BinCounts& bins, std::mt19937& random)
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
    return on;
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

/// Marked and all eligible (query, key) pairs: an unordered pair i != j is two weights, (i, i) one;
/// for positions, a key's mark counts once per query.
std::pair<double, double> backgroundCounts(const BinCounts& b, const TokenAnnotations& a)
{
    double items = 0, hits = 0;
    for (const auto& [bin, counts] : b.perBin) {
        items += static_cast<double>(counts.first);
        hits += static_cast<double>(counts.second);
    }
    if (!a.ofPairs())
        return {hits * items, items * items};
    const auto diagonal = static_cast<double>(b.diagonal), diagonalHits = static_cast<double>(b.diagonalHits);
    return {2 * (hits - diagonalHits) + diagonalHits, 2 * (items - diagonal) + diagonal};
}

/// What an input contributes, computed once.
struct Prepared {
    const AttentionStore* attention;
    const TokenAnnotations* annotations;
    std::unordered_set<Index> marked;
    BinCounts bins;
};

std::vector<Prepared> prepare(const std::vector<AnnotatedRun>& runs, double& background)
{
    std::vector<Prepared> out;
    double marked = 0, all = 0;
    for (const AnnotatedRun& r : runs) {
        const Index n = r.attention->length();
        check<ShapeError>(r.annotations.ofPairs() || static_cast<Index>(r.annotations.positions.size()) == n,
                          "the annotations cover another number of tokens than the run");
        check<ShapeError>(r.attention->layers() == runs.front().attention->layers() && r.attention->heads() == runs.front().attention->heads(),
                          "the runs pooled have different layers or heads");
        Prepared p{r.attention, &r.annotations, markedPairs(r.annotations, n), {}};
        p.bins = binCounts(r.annotations, n, p.marked);
        const auto [m, a] = backgroundCounts(p.bins, r.annotations);
        marked += m;
        all += a;
        out.push_back(std::move(p));
    }
    background = all > 0 ? marked / all : 0.0;
    return out;
}

/// One head pooled over the inputs, its p-value drawn when it has enough confident weights.
HeadEnrichment enrichmentOf(int l, int h, const std::vector<Prepared>& inputs, double background, const EnrichmentOptions& o,
                            unsigned seed)
{
    std::vector<Confident> confident;
    double total = 0, on = 0;
    long count = 0;
    for (const Prepared& p : inputs) {
        confident.push_back(confidentOf(p.attention->head(l, h), *p.annotations, o.threshold));
        total += confident.back().total;
        count += confident.back().count;
        on += observedOn(confident.back(), p.marked, *p.annotations);
    }
    HeadEnrichment e{l, h, total > 0 ? on / total : 0.0, background, count, std::nullopt, std::nullopt};
    if (count < o.minimumCount)
        return e;
    std::mt19937 random(seed);
    long atLeast = 0;
    for (int k = 0; k < o.permutations; ++k) {
        double drawn = 0;
        for (std::size_t r = 0; r < inputs.size(); ++r)
            drawn += nullOn(confident[r], inputs[r].bins, random);
        atLeast += drawn / total >= e.share - 1e-12 ? 1 : 0;
    }
    e.p = (1.0 + static_cast<double>(atLeast)) / (1.0 + static_cast<double>(o.permutations));
    return e;
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

int pairBin(const TokenAnnotations& a, Index i, Index j)
{
    if (a.pairCoordinate.empty())
        return separationBin(i, j);
    const double d = std::abs(a.pairCoordinate[static_cast<std::size_t>(i)] - a.pairCoordinate[static_cast<std::size_t>(j)]);
    return std::isfinite(d) ? separationBin(0, static_cast<Index>(d)) : -1;
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

std::vector<HeadEnrichment> headEnrichment(const std::vector<AnnotatedRun>& runs, const EnrichmentOptions& o, Progress* progress)
{
    check(!runs.empty(), "enrichment of no runs");
    double background = 0;
    const std::vector<Prepared> inputs = prepare(runs, background);
    const AttentionStore& first = *runs.front().attention;
    Progress none;
    Progress& p = progress ? *progress : none;
    std::vector<HeadEnrichment> out;
    std::vector<std::size_t> tested;
    for (int l = 0; l < first.layers(); ++l) {
        if (!first.hasLayer(l))
            continue;
        for (int h = 0; h < first.heads(); ++h) {
            p.step(l * first.heads() + h, first.layers() * first.heads(), "permutations");
            out.push_back(enrichmentOf(l, h, inputs, background, o, o.seed + static_cast<unsigned>(out.size())));
            if (out.back().p)
                tested.push_back(out.size() - 1);
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

std::vector<HeadEnrichment> headEnrichment(const AttentionStore& store, const TokenAnnotations& annotations, const EnrichmentOptions& options,
                                           Progress* progress)
{
    return headEnrichment(std::vector<AnnotatedRun>{{&store, annotations}}, options, progress);
}

} // namespace attn
