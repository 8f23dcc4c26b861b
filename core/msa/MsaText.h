#pragma once
/// @file MsaText.h
/// What the alignment parsers share (internal to core/msa): the text as numbered lines, the
/// rows as read (before insertions are removed), and the one way they report a problem.

#include "msa/Msa.h"

#include <string>
#include <string_view>
#include <vector>

namespace attn::msa {

/// The lines of a text without their line ends ("\n", "\r\n").
std::vector<std::string_view> splitLines(std::string_view text);

/// `s` without the spaces and tabs at either end.
std::string_view trim(std::string_view s);

/// Throws FormatError "FILE:LINE: problem".
[[noreturn]] void fail(const std::string& file, int line, const std::string& problem);

/// A row as the file has it: residues with insertions still in, and its annotations.
struct RawRow {
    MsaRow row;           ///< name, line, #=GS text; residues still raw.
    std::string residues; ///< Letters, '-' and '.' as in the file.
};

/// An alignment as read, before insertions are removed and lengths checked.
struct RawAlignment {
    MsaFormat format = MsaFormat::AlignedFasta;
    std::vector<RawRow> rows;
    std::map<std::string, std::string> columnAnnotations;
};

/// Appends the residues of `chars` (a line's sequence part) to `out`, ignoring spaces;
/// throws, naming the line and column, at anything that is not a letter, '-' or '.'.
void appendResidues(std::string_view chars, std::string& out, const std::string& file, int line);

/// A3M, A2M or aligned FASTA.
RawAlignment parseFastaAlignment(const std::vector<std::string_view>& lines, const std::string& file);
/// Stockholm 1.0 (the first alignment of the file).
RawAlignment parseStockholm(const std::vector<std::string_view>& lines, const std::string& file);
/// Clustal.
RawAlignment parseClustal(const std::vector<std::string_view>& lines, const std::string& file);

/// Removes insertions (when there are lowercase letters), checks that every row has the
/// query's length and that there is a row at all, and names A3M / A2M / aligned FASTA.
Msa finishAlignment(RawAlignment raw, const std::string& file);

} // namespace attn::msa
