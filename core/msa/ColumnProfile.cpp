#include "msa/ColumnProfile.h"

#include <cmath>
#include <cstring>
#include <string_view>

namespace attn {

namespace {

constexpr std::string_view kAminoAcids = "ACDEFGHIKLMNPQRSTVWY";

/// A Clustal X clause: more than `percent` of the column is the letters of `group`, together
/// (combined) or any one of them on its own.
struct Clause {
    float percent;
    const char* group;
    bool combined;
};

bool holds(const Clause& c, const ColumnProfile& column)
{
    const float threshold = c.percent / 100.0f;
    float sum = 0.0f;
    for (const char* g = c.group; *g != '\0'; ++g) {
        if (!c.combined && column.of(*g) > threshold)
            return true;
        sum += column.of(*g);
    }
    return c.combined && sum > threshold;
}

bool any(std::initializer_list<Clause> clauses, const ColumnProfile& column)
{
    for (const Clause& c : clauses)
        if (holds(c, column))
            return true;
    return false;
}

constexpr const char* kHydrophobic = "WLVIMAFCHP";

} // namespace

float ColumnProfile::of(char letter) const
{
    return letter >= 'A' && letter <= 'Z' ? fraction[static_cast<std::size_t>(letter - 'A')] : 0.0f;
}

std::vector<ColumnProfile> columnProfiles(const Msa& msa, const std::vector<double>& weights)
{
    const std::size_t columns = msa.columns(), rows = msa.sequences();
    std::vector<ColumnProfile> out(columns);
    if (rows == 0)
        return out;
    std::vector<std::array<double, 21>> weighted(columns); // 20 amino acids, then gap and the rest
    std::vector<std::array<std::uint32_t, 27>> counts(columns); // A..Z, then gap
    std::vector<double> gapWeight(columns, 0.0);
    double total = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
        const double w = weights.empty() ? 1.0 : weights[r];
        total += w;
        const std::string& row = msa.rows[r].residues;
        for (std::size_t c = 0; c < columns; ++c) {
            const char ch = row[c];
            const bool letter = ch >= 'A' && ch <= 'Z';
            ++counts[c][letter ? static_cast<std::size_t>(ch - 'A') : 26];
            const auto aa = letter ? kAminoAcids.find(ch) : std::string_view::npos;
            weighted[c][aa == std::string_view::npos ? 20 : aa] += w;
            gapWeight[c] += letter ? 0.0 : w;
        }
    }
    const double logStates = std::log(21.0);
    for (std::size_t c = 0; c < columns; ++c) {
        ColumnProfile& p = out[c];
        std::uint32_t best = 0;
        for (std::size_t i = 0; i < 26; ++i) {
            p.fraction[i] = static_cast<float>(counts[c][i]) / static_cast<float>(rows);
            if (counts[c][i] > best) {
                best = counts[c][i];
                p.consensus = static_cast<char>('A' + i);
            }
        }
        p.gapFraction = static_cast<float>(counts[c][26]) / static_cast<float>(rows);
        p.consensusFraction = static_cast<float>(best) / static_cast<float>(rows);
        double entropy = 0.0;
        for (double w : weighted[c])
            if (w > 0.0)
                entropy -= (w / total) * std::log(w / total);
        // Capra & Singh (2007, Bioinformatics 23:1875) weigh a column's score by its share of
        // residues: a column of gaps has low entropy but conserves nothing
        const double residues = 1.0 - gapWeight[c] / total;
        p.conservation = static_cast<float>(std::max(0.0, 1.0 - entropy / logStates) * residues);
    }
    return out;
}

ClustalClass clustalClass(char residue, const ColumnProfile& col)
{
    // Jalview's table (help/html/colourSchemes/clustal.html): {>X%, group}; combined when the
    // group is written without commas.
    switch (residue) {
    case 'A': case 'I': case 'L': case 'M': case 'F': case 'W': case 'V':
        return any({{60, kHydrophobic, true}}, col) ? ClustalClass::Hydrophobic : ClustalClass::None;
    case 'C': // pink first: a column over 85 % C is also over 60 % hydrophobic
        if (any({{85, "C", false}}, col))
            return ClustalClass::Cysteine;
        return any({{60, kHydrophobic, true}}, col) ? ClustalClass::Hydrophobic : ClustalClass::None;
    case 'K': case 'R':
        return any({{60, "KR", true}, {80, "KRQ", false}}, col) ? ClustalClass::Positive : ClustalClass::None;
    case 'E':
        return any({{60, "KR", true}, {50, "QE", true}, {85, "EQD", false}}, col) ? ClustalClass::Negative : ClustalClass::None;
    case 'D':
        return any({{60, "KR", true}, {85, "KRQ", false}, {50, "ED", true}}, col) ? ClustalClass::Negative : ClustalClass::None;
    case 'N':
        return any({{50, "N", true}, {85, "NY", false}}, col) ? ClustalClass::Polar : ClustalClass::None;
    case 'Q':
        return any({{60, "KR", true}, {50, "QE", true}, {85, "QEKR", false}}, col) ? ClustalClass::Polar : ClustalClass::None;
    case 'S': case 'T':
        return any({{60, kHydrophobic, true}, {50, "TS", true}, {85, "ST", false}}, col) ? ClustalClass::Polar : ClustalClass::None;
    case 'G':
        return any({{0, "G", true}}, col) ? ClustalClass::Glycine : ClustalClass::None;
    case 'P':
        return any({{0, "P", true}}, col) ? ClustalClass::Proline : ClustalClass::None;
    case 'H': case 'Y':
        return any({{60, kHydrophobic, true}, {85, "WYACPQFHILMV", false}}, col) ? ClustalClass::Aromatic : ClustalClass::None;
    default:
        return ClustalClass::None;
    }
}

std::uint32_t clustalColour(ClustalClass cls)
{
    switch (cls) {
    case ClustalClass::Hydrophobic: return 0x80a0f0;
    case ClustalClass::Positive: return 0xf01505;
    case ClustalClass::Negative: return 0xc048c0;
    case ClustalClass::Polar: return 0x15c015;
    case ClustalClass::Cysteine: return 0xf08080;
    case ClustalClass::Glycine: return 0xf09048;
    case ClustalClass::Proline: return 0xc0c000;
    case ClustalClass::Aromatic: return 0x15a4a4;
    case ClustalClass::None: break;
    }
    return 0xffffff;
}

} // namespace attn
