#include "structure/StructureSites.h"

#include <charconv>
#include <cstring>

namespace attn {
namespace {

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : s.substr(first, s.find_last_not_of(' ') - first + 1);
}

/// The residue at slot k (0-3) of a SITE line; false when the slot is blank; `bad` when its number is not one.
bool siteSlot(const std::string& line, int k, SiteResidue& out, bool& bad)
{
    const std::size_t at = 18 + 11 * static_cast<std::size_t>(k);
    if (line.size() <= at)
        return false;
    const std::string padded = (line + std::string(11, ' ')).substr(at, 10);
    const std::string name = trimmed(padded.substr(0, 3));
    const std::string number = trimmed(padded.substr(5, 4));
    if (name.empty() && number.empty())
        return false;
    const auto parsed = std::from_chars(number.data(), number.data() + number.size(), out.number);
    bad = number.empty() || parsed.ec != std::errc() || parsed.ptr != number.data() + number.size();
    out.chain = trimmed(padded.substr(4, 1));
    out.insertion = insertionCode(trimmed(padded.substr(9, 1)));
    return !bad && name != "HOH";
}

} // namespace

char insertionCode(const std::string& code)
{
    return code.empty() || code == "?" || code == "." ? ' ' : code.front();
}

std::vector<SiteResidue> pdbSiteRecords(const char* text, std::size_t size, const std::string& file, std::string& problem)
{
    std::vector<SiteResidue> out;
    const char* p = text;
    const char* end = text + size;
    for (std::size_t lineNumber = 1; p < end; ++lineNumber) {
        const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        std::string line(p, eol ? eol : end);
        p = eol ? eol + 1 : end;
        if (line.compare(0, 6, "SITE  ") != 0)
            continue;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const std::string site = trimmed(line.size() > 11 ? line.substr(11, 3) : std::string());
        for (int k = 0; k < 4; ++k) {
            SiteResidue r;
            bool bad = false;
            if (siteSlot(line, k, r, bad)) {
                r.site = site;
                out.push_back(r);
            } else if (bad && problem.empty()) {
                problem = file + ": the SITE record on line " + std::to_string(lineNumber) + " has a residue number that is not a number";
            }
        }
    }
    return out;
}

} // namespace attn
