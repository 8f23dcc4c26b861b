#pragma once
/// @file Msa.h
/// A multiple sequence alignment as attnscope uses it: rows of equal length over the aligned
/// columns (insertions removed), the query first, with the annotations the file carried.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace attn {

/// The file formats an alignment is read from.
enum class MsaFormat {
    A3m,          ///< HH-suite A3M: lowercase insertions, rows of different lengths.
    A2m,          ///< A2M: lowercase insertions and '.', rows of equal length.
    AlignedFasta, ///< FASTA of equal-length rows of uppercase letters and '-'.
    Stockholm,    ///< Stockholm 1.0 (Pfam, HMMER, Rfam).
    Clustal,      ///< Clustal W / Omega (.aln).
};

/// "a3m", "a2m", "aligned-fasta", "stockholm", "clustal".
std::string msaFormatName(MsaFormat format);

/// One aligned sequence.
struct MsaRow {
    std::string name;                          ///< The whole name line ("" allowed in A3M).
    std::string residues;                      ///< Uppercase letters and '-', one per column.
    int line = 0;                              ///< Line where the row starts in its file (1-based).
    std::map<std::string, std::string> text;   ///< Stockholm #=GS tag -> text.
    std::map<std::string, std::string> perColumn; ///< Stockholm #=GR tag -> one character per column.
};

/// An alignment; row 0 is the query.
struct Msa {
    MsaFormat format = MsaFormat::AlignedFasta;
    std::vector<MsaRow> rows;
    std::map<std::string, std::string> columnAnnotations; ///< Stockholm #=GC tag (SS_cons, RF, ...) -> per column.
    std::size_t insertionsRemoved = 0;                    ///< Lowercase and '.' characters dropped.

    /// Number of sequences.
    std::size_t sequences() const { return rows.size(); }
    /// Number of aligned columns.
    std::size_t columns() const { return rows.empty() ? 0 : rows.front().residues.size(); }
    /// The query's name up to the first space.
    std::string queryName() const;
    /// Fraction of all cells that are gaps ('-').
    double gapFraction() const;
    /// The columns where the query has a residue: query residue k is column queryColumns()[k].
    std::vector<std::size_t> queryColumns() const;
};

} // namespace attn
