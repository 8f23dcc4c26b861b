#include "msa/MsaText.h"

#include "util/Error.h"

#include <algorithm>
#include <cctype>

namespace attn::msa {

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(at, end - at);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        at = end + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s)
{
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string_view::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

void fail(const std::string& file, int line, const std::string& problem)
{
    throw FormatError(file + ":" + std::to_string(line) + ": " + problem);
}

void appendResidues(std::string_view chars, std::string& out, const std::string& file, int line)
{
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const char c = chars[i];
        if (c == ' ' || c == '\t')
            continue;
        if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-' && c != '.') {
            const std::string shown = std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                                     : "byte " + std::to_string(static_cast<unsigned char>(c));
            fail(file, line, "'" + shown + "' is not a residue letter, '-' or '.'");
        }
        out += c;
    }
}

namespace {

bool hasLowercase(const RawAlignment& raw)
{
    for (const RawRow& r : raw.rows)
        if (std::any_of(r.residues.begin(), r.residues.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }))
            return true;
    return false;
}

/// The row's match columns: uppercase letters and '-' (lowercase and '.' dropped).
std::string matchColumns(const std::string& raw)
{
    std::string kept;
    kept.reserve(raw.size());
    for (char c : raw)
        if (c == '-' || std::isupper(static_cast<unsigned char>(c)))
            kept += c;
    return kept;
}

/// Keeps the characters of a per-column annotation at the query's match columns.
std::string keepColumns(const std::string& annotation, const std::string& rawQuery)
{
    std::string kept;
    for (std::size_t i = 0; i < annotation.size() && i < rawQuery.size(); ++i)
        if (rawQuery[i] == '-' || std::isupper(static_cast<unsigned char>(rawQuery[i])))
            kept += annotation[i];
    return kept;
}

std::string gapsAndUppercase(const std::string& raw)
{
    std::string out = raw;
    for (char& c : out)
        c = c == '.' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

Msa finishAlignment(RawAlignment raw, const std::string& file)
{
    if (raw.rows.empty())
        fail(file, 1, "no sequences");
    const bool insertions = hasLowercase(raw) && raw.format != MsaFormat::Clustal;
    const std::string rawQuery = raw.rows.front().residues;
    bool rawLengthsEqual = true;
    Msa msa;
    for (RawRow& r : raw.rows) {
        if (r.residues.empty())
            fail(file, r.row.line, "sequence '" + r.row.name + "' has no residues");
        rawLengthsEqual = rawLengthsEqual && r.residues.size() == rawQuery.size();
        r.row.residues = insertions ? matchColumns(r.residues) : gapsAndUppercase(r.residues);
        msa.insertionsRemoved += r.residues.size() - r.row.residues.size();
        if (insertions)
            for (auto& [tag, chars] : r.row.perColumn)
                chars = keepColumns(chars, r.residues);
        msa.rows.push_back(std::move(r.row));
    }
    const std::size_t columns = msa.rows.front().residues.size();
    if (columns == 0)
        fail(file, msa.rows.front().line, "the query has no aligned columns (only insertions)");
    for (const MsaRow& row : msa.rows)
        if (row.residues.size() != columns)
            fail(file, row.line,
                 "rows of different lengths: '" + row.name + "' has " + std::to_string(row.residues.size()) +
                     " aligned columns, the query (line " + std::to_string(msa.rows.front().line) + ") has " +
                     std::to_string(columns) + (insertions ? "" : " (unaligned sequences are not an alignment)"));
    for (auto& [tag, chars] : raw.columnAnnotations)
        msa.columnAnnotations[tag] = insertions ? keepColumns(chars, rawQuery) : chars;
    msa.format = raw.format;
    if (raw.format == MsaFormat::AlignedFasta && insertions)
        msa.format = rawLengthsEqual ? MsaFormat::A2m : MsaFormat::A3m;
    return msa;
}

} // namespace attn::msa
