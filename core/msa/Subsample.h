#pragma once
/// @file Subsample.h
/// Choosing at most N sequences of a deep alignment for a model that takes fewer: the first N,
/// a diverse set, or a random one. The query is always kept, and the rows keep their order.

#include "msa/Msa.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attn {

/// How rows are chosen.
enum class SubsampleMode {
    First,   ///< Rows 0 .. N-1.
    Diverse, ///< Greedy: the query, then each time the row with the largest mean Hamming distance to those kept
             ///< (ties to the earlier row), as the MSA Transformer's examples select.
    Random,  ///< The query and N-1 other rows drawn uniformly without replacement, from a seed.
};

/// "first", "diverse" or "random"; throws Error for anything else.
SubsampleMode parseSubsampleMode(const std::string& name);

/// The indices of the chosen rows, ascending, 0 (the query) first; all rows when there are at
/// most `count`. Random draws are the same for the same seed on every platform.
std::vector<std::size_t> subsampleRows(const Msa& msa, std::size_t count, SubsampleMode mode, std::uint64_t seed = 0);

/// The alignment of the chosen rows (annotations per column kept).
Msa selectRows(const Msa& msa, const std::vector<std::size_t>& rows);

} // namespace attn
