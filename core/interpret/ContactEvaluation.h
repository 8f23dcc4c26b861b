#pragma once
/// @file ContactEvaluation.h
/// A contact predictor measured against a structure, as `attnscope-cli contacts` reports it and
/// the contact map view shows it: the query placed on a chain, its true contacts, precision at
/// L, L/2 and L/5 in each range, and the single attention head that predicts best.

#include "attention/AttentionStore.h"
#include "interpret/Contacts.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace attn {

/// The three ranges, short to long.
inline constexpr std::array<ContactRange, 3> kContactRanges{ContactRange::Short, ContactRange::Medium, ContactRange::Long};
/// The three depths: L, L/2 and L/5, and their names.
inline constexpr std::array<int, 3> kPrecisionDivisors{1, 2, 5};
inline constexpr std::array<const char*, 3> kPrecisionNames{"P@L", "P@L/2", "P@L/5"};

/// Precision at L / divisor for each range: at[range][depth], in the orders above.
struct ContactPrecision {
    std::array<std::array<double, 3>, 3> at{};
    double longAtL() const { return at[2][0]; }
};

/// How well symmetric `scores` [L, L] predict `truth` (trueContacts) at every range and depth.
ContactPrecision contactPrecision(const Matrix& scores, const Matrix& truth);

/// An alignment's query on a structure's chain.
struct StructureContacts {
    std::string chain;                       ///< The chain's name.
    QueryMapping mapping;                    ///< Query residue -> chain residue.
    Matrix truth;                            ///< trueContacts, [L, L] in query numbering.
    std::size_t withCoordinates = 0;         ///< Query residues with a contact atom.
    std::vector<std::string> residueLabels;  ///< Per query residue: "GLY 57" in the structure's numbering, "" when not on the chain.
    std::array<std::size_t, 3> counts{};     ///< True contacts per range.
};

/// Places `queryRow` (aligned, gaps allowed) on `chain` and finds its true contacts.
StructureContacts structureContacts(const std::string& queryRow, const StructureChain& chain);

/// The single head whose symmetrised, APC-corrected map is best at long-range P@L.
struct BestHead {
    int layer = -1, head = -1;
    ContactPrecision precision;
};

/// Ranks every head of `store` (tokens [first, first + residues) of each map; `toQuery` turns a
/// map into query numbering, e.g. the MSA Transformer's columns to the query's residues).
BestHead bestContactHead(const AttentionStore& store, Index first, Index residues, const Matrix& truth,
                         const std::function<Matrix(const Matrix&)>& toQuery);

} // namespace attn
