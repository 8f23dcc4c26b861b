#include "interpret/SequenceMarks.h"

#include "util/Error.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace attn {
namespace {

/// The bases an IUPAC letter stands for.
std::string_view iupac(char c)
{
    switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'A': return "A";
    case 'C': return "C";
    case 'G': return "G";
    case 'T': case 'U': return "T";
    case 'R': return "AG";
    case 'Y': return "CT";
    case 'S': return "CG";
    case 'W': return "AT";
    case 'K': return "GT";
    case 'M': return "AC";
    case 'B': return "CGT";
    case 'D': return "AGT";
    case 'H': return "ACT";
    case 'V': return "ACG";
    case 'N': return "ACGT";
    default: return "";
    }
}

char complement(char c)
{
    static const std::string from = "ACGTRYSWKMBDHVN", to = "TGCAYRSWMKVHDBN";
    const auto at = from.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return at == std::string::npos ? c : to[at];
}

bool matchesAt(const std::string& sequence, std::size_t at, const std::string& consensus)
{
    for (std::size_t k = 0; k < consensus.size(); ++k) {
        const char base = static_cast<char>(std::toupper(static_cast<unsigned char>(sequence[at + k])));
        if (iupac(consensus[k]).find(base) == std::string_view::npos)
            return false;
    }
    return true;
}

} // namespace

int markIntervals(std::vector<char>& bases, const std::vector<BedInterval>& intervals, const std::string& name, long firstBase)
{
    const long length = static_cast<long>(bases.size());
    int on = 0;
    for (const BedInterval& b : intervals) {
        if (b.name != name)
            continue;
        const long from = std::max(0L, b.start - firstBase), to = std::min(length, b.end - firstBase);
        if (from >= to)
            continue;
        std::fill(bases.begin() + from, bases.begin() + to, char{1});
        ++on;
    }
    return on;
}

int markMotif(std::vector<char>& bases, const std::string& sequence, const std::string& consensus)
{
    check(!consensus.empty(), "--motif: give a consensus in IUPAC letters (A C G T R Y S W K M B D H V N)");
    for (char c : consensus)
        check(!iupac(c).empty(), "--motif " + consensus + ": '" + std::string(1, c) + "' is not an IUPAC nucleotide letter");
    std::string reverse(consensus.rbegin(), consensus.rend());
    std::transform(reverse.begin(), reverse.end(), reverse.begin(), complement);
    int found = 0;
    for (std::size_t at = 0; at + consensus.size() <= sequence.size(); ++at)
        if (matchesAt(sequence, at, consensus) || matchesAt(sequence, at, reverse)) {
            std::fill(bases.begin() + static_cast<long>(at), bases.begin() + static_cast<long>(at + consensus.size()), char{1});
            ++found;
        }
    return found;
}

std::vector<char> tokensCovering(const std::vector<char>& bases, const Encoding& encoding)
{
    std::vector<char> tokens(encoding.spans.size(), 0);
    for (std::size_t t = 0; t < encoding.spans.size(); ++t) {
        const TokenSpan& s = encoding.spans[t];
        if (s.begin < 0)
            continue;
        for (int b = s.begin; b < s.end && b < static_cast<int>(bases.size()); ++b)
            tokens[t] = tokens[t] || bases[static_cast<std::size_t>(b)];
    }
    return tokens;
}

} // namespace attn
