#include "msa/MsaReader.h"

#include "msa/MsaText.h"
#include "io/BinaryFile.h"
#include "util/Error.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <memory>

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

std::string readMaybeGzippedText(const std::filesystem::path& path)
{
    const std::string name = path.string();
    const std::string head = readFileHead(path, 2);
    if (head.size() < 2 || static_cast<unsigned char>(head[0]) != 0x1f || static_cast<unsigned char>(head[1]) != 0x8b) {
        BinaryFile file(path);
        check<FormatError>(file.size() <= kMaxAlignmentBytes, name + ": larger than the 1 GiB an alignment may be");
        return file.read(0, file.size());
    }
    const std::unique_ptr<gzFile_s, int (*)(gzFile)> gz(gzopen(name.c_str(), "rb"), gzclose);
    check<IoError>(gz != nullptr, name + ": cannot open");
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(gz.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            throw FormatError(name + ": not a readable gzip file (" + gzerror(gz.get(), &code) + ")");
        }
        if (n == 0)
            break;
        check<FormatError>(text.size() + static_cast<std::size_t>(n) <= kMaxAlignmentBytes,
                           name + ": decompresses to more than the 1 GiB an alignment may be");
        text.append(buffer, static_cast<std::size_t>(n));
    }
    int code = Z_OK;
    const char* problem = gzerror(gz.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END) // Z_BUF_ERROR: the stream ends before its end
        throw FormatError(name + ": not a readable gzip file (" + (code == Z_BUF_ERROR ? "cut short" : problem) + ")");
    return text;
}

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
