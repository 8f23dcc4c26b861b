#include "msa/SequenceWeights.h"

#include <cmath>
#include <cstdint>
#include <numeric>

namespace attn {

std::vector<double> sequenceWeights(const Msa& msa, double identity)
{
    const auto n = static_cast<std::int64_t>(msa.sequences());
    const std::size_t columns = msa.columns();
    // similar when the matching columns reach the threshold (integer, so no rounding between rows)
    const auto needed = static_cast<std::size_t>(std::ceil(identity * static_cast<double>(columns) - 1e-9));
    std::vector<double> weights(static_cast<std::size_t>(n), 0.0);
#pragma omp parallel for schedule(dynamic, 8)
    for (std::int64_t i = 0; i < n; ++i) {
        const std::string& a = msa.rows[static_cast<std::size_t>(i)].residues;
        std::size_t neighbours = 0;
        for (std::int64_t j = 0; j < n; ++j) {
            const std::string& b = msa.rows[static_cast<std::size_t>(j)].residues;
            std::size_t same = 0;
            for (std::size_t c = 0; c < columns; ++c)
                same += a[c] == b[c];
            neighbours += same >= needed;
        }
        weights[static_cast<std::size_t>(i)] = 1.0 / static_cast<double>(neighbours); // i itself counts: >= 1
    }
    return weights;
}

double effectiveSequences(const std::vector<double>& weights)
{
    return std::accumulate(weights.begin(), weights.end(), 0.0);
}

} // namespace attn
