#include "ehr/CodePairs.h"

#include "io/TextFile.h"
#include "util/Error.h"

#include <sstream>

namespace attn {
namespace {

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \r");
    const auto last = s.find_last_not_of(" \r");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

} // namespace

std::vector<std::pair<std::string, std::string>> parseCodePairs(const std::string& text, const std::string& file)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (trimmed(line).empty() || trimmed(line).front() == '#')
            continue;
        std::vector<std::string> fields;
        std::istringstream split(line);
        for (std::string f; std::getline(split, f, '\t');)
            fields.push_back(trimmed(f));
        check<FormatError>(fields.size() == 2 && !fields[0].empty() && !fields[1].empty(),
                           file + " line " + std::to_string(number) + ": expected two codes separated by a tab (e.g. RXNORM/855332\tLOINC/6301-6)");
        out.emplace_back(fields[0], fields[1]);
    }
    check<FormatError>(!out.empty(), file + ": no code pairs (two codes separated by a tab per line)");
    return out;
}

std::vector<std::pair<std::string, std::string>> readCodePairs(const std::filesystem::path& path)
{
    return parseCodePairs(readMaybeGzippedText(path), path.string());
}

} // namespace attn
