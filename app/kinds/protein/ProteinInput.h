#pragma once
/// @file ProteinInput.h
/// What a protein model runs on, read from the user's file, and the tokens' axis. Shared by the
/// window and the CLI.

#include "kinds/InputChoice.h"
#include "model/TokenAxis.h"
#include "msa/Msa.h"

#include <string>

namespace attn::kinds {

/// An alignment as a model runs it.
struct ProteinInput {
    Msa msa;                         ///< Rows as run (subsampled; for ESM the one sequence).
    std::size_t sequencesInFile = 0; ///< Rows the file holds.
    std::string subsample;           ///< How rows were chosen ("" when all were kept).
};

/// Reads an alignment in any format, or else, with `sequencesToo`, unaligned sequences (each reader
/// runs once); `aligned` (if given) says which it was. Errors: the alignment reader's, naming the file.
Msa readProteinData(const std::string& path, bool sequencesToo, bool* aligned = nullptr);

/// Reads an alignment in any format (the query is its first row). With `singleSequence` (ESM)
/// the row is the record named `choice.record` (default: the first), and a FASTA file whose
/// records differ in length (not an alignment) is read as plain sequences. Otherwise the rows are
/// subsampled to `choice.maxSequences` (query kept) by `choice.subsample`. Errors name the file.
ProteinInput readProteinInput(const InputChoice& choice, bool singleSequence);

/// The rows a model runs from an alignment already read (readProteinInput's second half, which
/// the window calls on its open alignment): ESM's one record, or the rows subsampled.
ProteinInput selectProteinInput(Msa msa, const InputChoice& choice, bool singleSequence);

/// The tokens of a run on `queryRow` (its residues and gaps, one per column): <cls>, then one per
/// column labelled by the query's residue and its number ("M1"; "(c14)" for column 14 where the
/// query has a gap),
/// placed at its column (unit "residues"), then `last` when `single` (a single-sequence model, whose
/// tokens are the residues alone: gaps are dropped first; `first` and `last` are its special
/// tokens, "[CLS]" and "[SEP]" for ProtBert). tokens.tsv's label column is "residue"; it gains
/// "column" and "residue_number".
TokenAxis proteinTokenAxis(const std::string& queryRow, bool single, const std::string& first = "<cls>",
                           const std::string& last = "<eos>");

} // namespace attn::kinds
