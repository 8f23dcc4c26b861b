#pragma once
/// @file MsaReader.h
/// Reading multiple sequence alignments: A3M, A2M and aligned FASTA (wrapped or not), Stockholm
/// and Clustal, any of them gzipped. The format is judged by the content, not the name.
///
/// Columns follow the A3M/A2M convention (as HH-suite and ESM's read_msa do): when the file has
/// lowercase letters, those and '.' are insertions relative to the query and are removed;
/// otherwise '.' is a gap like '-'. Letters are kept as uppercase, gaps as '-'.

#include "msa/Msa.h"

#include <filesystem>
#include <string>

namespace attn {

/// Reads an alignment. Throws FormatError "FILE:LINE: problem" for rows of different lengths,
/// a character that is not a residue, no sequences, an HMM profile or any other file that is
/// not an alignment; IoError when it cannot be read.
Msa readMsa(const std::filesystem::path& path);

/// The same from text in memory; `file` names it in messages.
Msa parseMsa(const std::string& text, const std::string& file);

} // namespace attn
