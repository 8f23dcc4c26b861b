#pragma once
/// @file FastaReader.h
/// FASTA files: '>' header lines, each followed by sequence lines (wrapped or not).

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// One FASTA record.
struct FastaRecord {
    std::string name;        ///< First word after '>'.
    std::string description; ///< Rest of the header line.
    std::string sequence;    ///< Sequence with line breaks removed, case kept.
    int line = 0;            ///< Line number of the header (1-based).
};

/// Reads every record. Throws FormatError "FILE:LINE: problem" for a missing header,
/// an empty name, a record without sequence, a character that is not a letter, '-', '.'
/// or '*', or a file with no records.
std::vector<FastaRecord> readFasta(const std::filesystem::path& path);

} // namespace attn
