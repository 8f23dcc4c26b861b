#pragma once
/// @file QueryMapping.h
/// Which residue of a structure's chain each residue of the alignment's query is: the query
/// (gaps removed) aligned to the chain's sequence by gemmi's Needleman-Wunsch (match 1, mismatch
/// -1, gap opening -10, extension -1, so that the few gaps of a query against its own structure
/// are not spread out).

#include "structure/ProteinStructure.h"

#include <string>
#include <vector>

namespace attn {

/// The query's residues on a chain.
struct QueryMapping {
    std::vector<int> residue;      ///< Per query residue: index into the chain's residues, or -1.
    std::size_t mapped = 0;        ///< Query residues placed on a chain residue.
    std::size_t identical = 0;     ///< Of those, the ones with the same letter.
    std::vector<std::size_t> unmatched; ///< Query residues (0-based) with no chain residue.
};

/// Aligns `query` (letters; gaps are removed first) to the chain.
QueryMapping mapQueryToChain(const std::string& query, const StructureChain& chain);

/// The query's letters without gaps.
std::string ungapped(const std::string& alignedRow);

} // namespace attn
