#include "interpret/Contacts.h"

#include "util/Error.h"

#include <algorithm>
#include <cstdlib>

namespace attn {

std::string contactRangeName(ContactRange range)
{
    switch (range) {
    case ContactRange::Short:
        return "short";
    case ContactRange::Medium:
        return "medium";
    case ContactRange::Long:
        return "long";
    }
    return "";
}

bool inRange(ContactRange range, Index i, Index j)
{
    const Index d = std::abs(i - j);
    switch (range) {
    case ContactRange::Short:
        return d >= 6 && d <= 11;
    case ContactRange::Medium:
        return d >= 12 && d <= 23;
    case ContactRange::Long:
        return d >= 24;
    }
    return false;
}

Matrix trueContacts(const QueryMapping& mapping, const StructureChain& chain, double cutoff)
{
    const auto l = static_cast<Index>(mapping.residue.size());
    std::vector<Eigen::Vector3d> at(mapping.residue.size());
    std::vector<bool> has(mapping.residue.size(), false);
    for (std::size_t i = 0; i < mapping.residue.size(); ++i)
        if (mapping.residue[i] >= 0)
            has[i] = chain.residues[static_cast<std::size_t>(mapping.residue[i])].contactAtom(at[i]);
    Matrix truth = Matrix::Zero(l, l);
    for (Index i = 0; i < l; ++i)
        for (Index j = 0; j < l; ++j) {
            const auto a = static_cast<std::size_t>(i), b = static_cast<std::size_t>(j);
            if (!has[a] || !has[b])
                truth(i, j) = -1.0f;
            else if (std::abs(i - j) >= 6 && (at[a] - at[b]).norm() < cutoff)
                truth(i, j) = 1.0f;
        }
    return truth;
}

Matrix inQueryNumbering(const Matrix& overColumns, const std::vector<std::size_t>& queryColumns)
{
    const auto l = static_cast<Index>(queryColumns.size());
    Matrix out(l, l);
    for (Index i = 0; i < l; ++i)
        for (Index j = 0; j < l; ++j)
            out(i, j) = overColumns(static_cast<Index>(queryColumns[static_cast<std::size_t>(i)]),
                                    static_cast<Index>(queryColumns[static_cast<std::size_t>(j)]));
    return out;
}

std::size_t countContacts(const Matrix& truth, ContactRange range)
{
    std::size_t n = 0;
    for (Index i = 0; i < truth.rows(); ++i)
        for (Index j = i + 1; j < truth.cols(); ++j)
            n += inRange(range, i, j) && truth(i, j) == 1.0f;
    return n;
}

double precisionAt(const Matrix& scores, const Matrix& truth, ContactRange range, std::size_t k)
{
    check<ShapeError>(scores.rows() == truth.rows() && scores.cols() == truth.cols(), "contact precision: the score map and the true contacts differ in size");
    struct Pair {
        float score;
        Index i, j;
        bool contact;
    };
    std::vector<Pair> pairs;
    for (Index i = 0; i < truth.rows(); ++i)
        for (Index j = i + 1; j < truth.cols(); ++j)
            if (inRange(range, i, j) && truth(i, j) >= 0.0f)
                pairs.push_back({scores(i, j), i, j, truth(i, j) == 1.0f});
    k = std::min(k, pairs.size());
    if (k == 0)
        return 0.0;
    std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(k), pairs.end(),
                      [](const Pair& a, const Pair& b) { // ties: the pair nearer the start first
                          return a.score != b.score ? a.score > b.score : (a.i != b.i ? a.i < b.i : a.j < b.j);
                      });
    std::size_t hits = 0;
    for (std::size_t i = 0; i < k; ++i)
        hits += pairs[i].contact;
    return static_cast<double>(hits) / static_cast<double>(k);
}

} // namespace attn
