#include "interpret/Coevolution.h"

#include "msa/SequenceWeights.h"
#include "util/Error.h"

#include <array>
#include <cmath>
#include <cstdint>

namespace attn {
namespace {

constexpr int kStates = 27; ///< 'A'..'Z', then '-'.

int stateOf(char c)
{
    return c == '-' ? 26 : c - 'A'; // the reader keeps uppercase letters and '-' only
}

/// The alignment as state indices, column-major (one column's states together).
std::vector<std::uint8_t> columnStates(const Msa& msa)
{
    const std::size_t n = msa.sequences(), columns = msa.columns();
    std::vector<std::uint8_t> states(n * columns);
    for (std::size_t s = 0; s < n; ++s)
        for (std::size_t c = 0; c < columns; ++c)
            states[c * n + s] = static_cast<std::uint8_t>(stateOf(msa.rows[s].residues[c]));
    return states;
}

} // namespace

Matrix mutualInformation(const Msa& msa, const std::vector<double>& weights)
{
    check<ShapeError>(weights.size() == msa.sequences(), "mutual information: one weight per sequence is needed");
    const std::size_t n = msa.sequences();
    const auto columns = static_cast<std::int64_t>(msa.columns());
    const std::vector<std::uint8_t> states = columnStates(msa);
    double total = 0;
    for (double w : weights)
        total += w;
    std::vector<std::array<double, kStates>> single(static_cast<std::size_t>(columns));
    for (std::int64_t c = 0; c < columns; ++c) {
        single[static_cast<std::size_t>(c)].fill(0.0);
        for (std::size_t s = 0; s < n; ++s)
            single[static_cast<std::size_t>(c)][states[static_cast<std::size_t>(c) * n + s]] += weights[s] / total;
    }
    Matrix mi = Matrix::Zero(columns, columns);
#pragma omp parallel for schedule(dynamic, 4)
    for (std::int64_t i = 0; i < columns; ++i) {
        std::array<double, kStates * kStates> pair{};
        const std::uint8_t* a = &states[static_cast<std::size_t>(i) * n];
        for (std::int64_t j = i + 1; j < columns; ++j) {
            pair.fill(0.0);
            const std::uint8_t* b = &states[static_cast<std::size_t>(j) * n];
            for (std::size_t s = 0; s < n; ++s)
                pair[a[s] * kStates + b[s]] += weights[s] / total;
            double sum = 0;
            for (int x = 0; x < kStates; ++x)
                for (int y = 0; y < kStates; ++y) {
                    const double f = pair[x * kStates + y];
                    if (f > 0)
                        sum += f * std::log(f / (single[static_cast<std::size_t>(i)][x] * single[static_cast<std::size_t>(j)][y]));
                }
            mi(i, j) = mi(j, i) = static_cast<float>(sum);
        }
    }
    return mi;
}

Matrix averageProductCorrection(const Matrix& mi)
{
    const Index l = mi.rows();
    check<ShapeError>(l == mi.cols() && l >= 2, "the average product correction needs a square matrix of 2 or more columns");
    Eigen::VectorXd mean(l);
    for (Index i = 0; i < l; ++i)
        mean(i) = mi.row(i).cast<double>().sum() / static_cast<double>(l - 1);
    const double overall = mean.mean();
    Matrix apc(l, l);
    for (Index i = 0; i < l; ++i)
        for (Index j = 0; j < l; ++j) {
            if (i == j)
                apc(i, j) = 0.0f;
            else if (overall > 0)
                apc(i, j) = static_cast<float>(mi(i, j) - mean(i) * mean(j) / overall);
            else
                apc(i, j) = mi(i, j); // no information anywhere (one sequence): nothing to correct
        }
    return apc;
}

Matrix miApcBaseline(const Msa& msa)
{
    return averageProductCorrection(mutualInformation(msa, sequenceWeights(msa, 0.8)));
}

} // namespace attn
