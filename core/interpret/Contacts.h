#pragma once
/// @file Contacts.h
/// Residue contacts and how well a score map predicts them. A contact is a pair of residues
/// whose Cbeta atoms (Calpha for glycine) are closer than 8 A, at least 6 apart in the
/// sequence; ranges by separation: short 6-11, medium 12-23, long 24 and more. Precision at k:
/// of the k highest-scoring pairs of a range (i < j, pairs without coordinates left out), the
/// fraction that are contacts; k is L, L/2 or L/5 for a query of L residues (as in ESM and the
/// MSA Transformer papers).

#include "structure/QueryMapping.h"
#include "tensor/Tensor.h"

#include <string>

namespace attn {

/// Separation ranges.
enum class ContactRange { Short, Medium, Long };

/// "short", "medium", "long".
std::string contactRangeName(ContactRange range);

/// True if |i - j| falls in the range.
bool inRange(ContactRange range, Index i, Index j);

/// The true contacts in query numbering, [L, L] float: 1 contact, 0 none (and every pair under 6
/// apart), -1 where either residue has no coordinates (not in the structure, or no Cbeta).
Matrix trueContacts(const QueryMapping& mapping, const StructureChain& chain, double cutoff = 8.0);

/// A map over alignment columns [C, C] in query numbering [L, L]: the query's columns only.
Matrix inQueryNumbering(const Matrix& overColumns, const std::vector<std::size_t>& queryColumns);

/// Contacts of a range (pairs i < j).
std::size_t countContacts(const Matrix& truth, ContactRange range);

/// Precision of `scores` (symmetric [L, L]) at the top `k` pairs of the range against `truth`;
/// 0 when the range has no scored pairs. Equal scores rank the pair nearer the start first.
double precisionAt(const Matrix& scores, const Matrix& truth, ContactRange range, std::size_t k);

} // namespace attn
