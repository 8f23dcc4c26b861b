#include "msa/MsaReader.h"

#include "msa/MsaText.h"
#include "io/TextFile.h"
#include "util/Error.h"

#include <algorithm>
#include <cctype>

namespace attn {
namespace {

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

/// The first line that is not blank, and its number (0 when there is none).
std::pair<std::string_view, int> firstContent(const std::vector<std::string_view>& lines)
{
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (!msa::trim(lines[i]).empty())
            return {msa::trim(lines[i]), static_cast<int>(i + 1)};
    return {{}, 0};
}

bool isClustalHeader(std::string_view line)
{
    return startsWith(line, "CLUSTAL") || line.find("multiple sequence alignment") != std::string_view::npos;
}

} // namespace

Msa parseMsa(const std::string& text, const std::string& file)
{
    check<FormatError>(text.find('\0') == std::string::npos, file + ": not a text file (it holds NUL bytes)");
    const std::vector<std::string_view> lines = msa::splitLines(text);
    const auto [first, line] = firstContent(lines);
    if (line == 0)
        msa::fail(file, 1, "no sequences (the file is empty)");
    if (startsWith(first, "# STOCKHOLM"))
        return msa::finishAlignment(msa::parseStockholm(lines, file), file);
    if (isClustalHeader(first))
        return msa::finishAlignment(msa::parseClustal(lines, file), file);
    if (startsWith(first, "HMMER") || startsWith(first, "HHsearch"))
        msa::fail(file, line, "an HMM profile, not an alignment (give the alignment it was built from)");
    if (first.front() == '>' || first.front() == '#')
        return msa::finishAlignment(msa::parseFastaAlignment(lines, file), file);
    msa::fail(file, line,
              "not an alignment: expected A3M, A2M or FASTA ('>' headers), Stockholm ('# STOCKHOLM 1.0') or Clustal "
              "('CLUSTAL ...')");
}

Msa readMsa(const std::filesystem::path& path)
{
    return parseMsa(readMaybeGzippedText(path), path.string());
}

} // namespace attn
