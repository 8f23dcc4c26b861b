#include "io/FastaReader.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <cctype>
#include <sstream>

namespace attn {
namespace {

std::string trim(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool sequenceChar(unsigned char c)
{
    return std::isalpha(c) || c == '-' || c == '.' || c == '*';
}

std::string describe(unsigned char c)
{
    if (std::isprint(c))
        return std::string("'") + static_cast<char>(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
}

FastaRecord parseHeader(const std::string& line, int lineNo, const std::string& where)
{
    const std::string header = trim(line.substr(1));
    const auto space = header.find_first_of(" \t");
    FastaRecord r;
    r.name = header.substr(0, space);
    r.description = space == std::string::npos ? "" : trim(header.substr(space));
    r.line = lineNo;
    check<FormatError>(!r.name.empty(), where + ":" + std::to_string(lineNo) + ": header has no name after '>'");
    return r;
}

void appendSequence(FastaRecord& r, const std::string& line, int lineNo, const std::string& where)
{
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (std::isspace(c))
            continue;
        check<FormatError>(sequenceChar(c), where + ":" + std::to_string(lineNo) + ": " + describe(c)
                                                + " in record '" + r.name + "' is not a sequence character");
        r.sequence += static_cast<char>(c);
    }
}

void checkNotEmpty(const FastaRecord& r, const std::string& where)
{
    check<FormatError>(!r.sequence.empty(), where + ":" + std::to_string(r.line) + ": record '" + r.name
                                                + "' has no sequence");
}

} // namespace

std::vector<FastaRecord> readFasta(const std::filesystem::path& path)
{
    const std::string where = path.string();
    std::istringstream in(readWholeFile(path));
    std::vector<FastaRecord> records;
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line[0] == '>') {
            if (!records.empty())
                checkNotEmpty(records.back(), where);
            records.push_back(parseHeader(line, lineNo, where));
            continue;
        }
        if (trim(line).empty())
            continue;
        check<FormatError>(!records.empty(), where + ":" + std::to_string(lineNo)
                                                 + ": sequence data before the first '>' header line (is this a FASTA file?)");
        appendSequence(records.back(), line, lineNo, where);
    }
    check<FormatError>(!records.empty(), where + ": no FASTA records (no line starts with '>')");
    checkNotEmpty(records.back(), where);
    return records;
}

} // namespace attn
