#include "io/ResidueList.h"

#include "io/TextFile.h"
#include "util/Error.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace attn {
namespace {

/// The most positions one range may name: far beyond any protein, so that "1-9999999999" is refused
/// before anything is allocated.
constexpr long kLongestRange = 1'000'000;

long position(const std::string& text, const std::string& where)
{
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    check<FormatError>(error == std::errc() && end == text.data() + text.size() && value >= 1,
                       where + ": \"" + text + "\" is not a residue position (a whole number from 1)");
    return value;
}

/// Adds the positions of one field: N or A-B.
void addField(const std::string& field, const std::string& where, std::vector<long>& out)
{
    const auto dash = field.find('-', 1);
    if (dash == std::string::npos) {
        out.push_back(position(field, where));
        return;
    }
    const long first = position(field.substr(0, dash), where), last = position(field.substr(dash + 1), where);
    check<FormatError>(last >= first, where + ": the range \"" + field + "\" ends before it starts");
    check<FormatError>(last - first < kLongestRange, where + ": the range \"" + field + "\" is longer than any protein");
    for (long p = first; p <= last; ++p)
        out.push_back(p);
}

} // namespace

std::vector<long> parseResidueList(const std::string& text, const std::string& file)
{
    std::vector<long> out;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        line = line.substr(0, line.find('#'));
        std::replace(line.begin(), line.end(), ',', ' ');
        std::istringstream fields(line);
        for (std::string field; fields >> field;)
            addField(field, file + " line " + std::to_string(number), out);
    }
    check<FormatError>(!out.empty(), file + ": no residue positions (1-based numbers or ranges such as 10-15)");
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<long> readResidueList(const std::filesystem::path& path)
{
    return parseResidueList(readMaybeGzippedText(path), path.string());
}

} // namespace attn
