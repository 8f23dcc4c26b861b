#include "msa/Subsample.h"

#include "util/Error.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace attn {
namespace {

std::size_t hamming(const std::string& a, const std::string& b)
{
    std::size_t differ = 0;
    for (std::size_t c = 0; c < a.size(); ++c)
        differ += a[c] != b[c];
    return differ;
}

std::vector<std::size_t> diverseRows(const Msa& msa, std::size_t count)
{
    const std::size_t n = msa.sequences();
    std::vector<std::size_t> kept{0};
    std::vector<bool> taken(n, false);
    taken[0] = true;
    std::vector<std::size_t> distanceToKept(n, 0); // sum over the kept rows; the mean orders the same
    while (kept.size() < count) {
        const std::string& last = msa.rows[kept.back()].residues;
        std::size_t best = n;
        for (std::size_t i = 0; i < n; ++i) {
            if (taken[i])
                continue;
            distanceToKept[i] += hamming(last, msa.rows[i].residues);
            if (best == n || distanceToKept[i] > distanceToKept[best])
                best = i;
        }
        taken[best] = true;
        kept.push_back(best);
    }
    return kept;
}

/// Uniform in [0, bound) from raw 64-bit draws (rejection, so that it is exact and the same on
/// every standard library, unlike std::uniform_int_distribution).
std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t bound)
{
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t x = 0;
    do
        x = rng();
    while (x >= limit);
    return x % bound;
}

std::vector<std::size_t> randomRows(std::size_t n, std::size_t count, std::uint64_t seed)
{
    std::vector<std::size_t> others(n - 1);
    std::iota(others.begin(), others.end(), std::size_t{1});
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i + 1 < count; ++i) // a partial Fisher-Yates shuffle
        std::swap(others[i], others[i + uniformBelow(rng, others.size() - i)]);
    std::vector<std::size_t> kept{0};
    kept.insert(kept.end(), others.begin(), others.begin() + static_cast<std::ptrdiff_t>(count - 1));
    return kept;
}

} // namespace

SubsampleMode parseSubsampleMode(const std::string& name)
{
    if (name == "first")
        return SubsampleMode::First;
    if (name == "diverse")
        return SubsampleMode::Diverse;
    if (name == "random")
        return SubsampleMode::Random;
    throw Error("unknown subsampling '" + name + "' (expected first, diverse or random)");
}

std::vector<std::size_t> subsampleRows(const Msa& msa, std::size_t count, SubsampleMode mode, std::uint64_t seed)
{
    const std::size_t n = msa.sequences();
    check(count >= 1, "subsampling needs at least one sequence (the query)");
    std::vector<std::size_t> rows;
    if (n <= count) {
        rows.resize(n);
        std::iota(rows.begin(), rows.end(), std::size_t{0});
        return rows;
    }
    if (mode == SubsampleMode::First) {
        rows.resize(count);
        std::iota(rows.begin(), rows.end(), std::size_t{0});
        return rows;
    }
    rows = mode == SubsampleMode::Diverse ? diverseRows(msa, count) : randomRows(n, count, seed);
    std::sort(rows.begin(), rows.end());
    return rows;
}

Msa selectRows(const Msa& msa, const std::vector<std::size_t>& rows)
{
    Msa out;
    out.format = msa.format;
    out.columnAnnotations = msa.columnAnnotations;
    out.insertionsRemoved = msa.insertionsRemoved;
    for (std::size_t i : rows)
        out.rows.push_back(msa.rows.at(i));
    return out;
}

} // namespace attn
