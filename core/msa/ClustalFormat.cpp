// Clustal (.aln, as Clustal W/Omega, MUSCLE and T-Coffee write it): a header line ("CLUSTAL W
// (1.83) multiple sequence alignment", or MUSCLE's own), then blocks of "name residues [count]"
// lines separated by blank lines, each block continuing the rows of the first by name, and under
// each block a conservation line ('*', ':', '.') that starts with spaces and may look blank.

#include "msa/MsaText.h"

#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace attn::msa {

RawAlignment parseClustal(const std::vector<std::string_view>& lines, const std::string& file)
{
    RawAlignment raw;
    raw.format = MsaFormat::Clustal;
    std::map<std::string, std::size_t> index;
    std::set<std::string> inBlock;
    bool header = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const int number = static_cast<int>(i + 1);
        const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
        if (!header) {
            header = !blank; // parseMsa saw the header here
            continue;
        }
        if (blank) {
            inBlock.clear();
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t')
            continue; // a conservation line
        std::istringstream words{std::string(line)};
        std::string name, residues, count, extra;
        words >> name >> residues >> count >> extra;
        if (residues.empty())
            fail(file, number, "a sequence line needs a name and residues ('" + name + "' has none)");
        const bool countIsNumber = !count.empty() && count.find_first_not_of("0123456789") == std::string::npos;
        if (!extra.empty() || (!count.empty() && !countIsNumber))
            fail(file, number, "a sequence line is a name, residues and an optional count");
        if (!inBlock.insert(name).second)
            fail(file, number, "sequence '" + name + "' appears twice in one block");
        auto found = index.find(name);
        if (found == index.end()) {
            found = index.emplace(name, raw.rows.size()).first;
            raw.rows.emplace_back();
            raw.rows.back().row.name = name;
            raw.rows.back().row.line = number;
        }
        appendResidues(residues, raw.rows[found->second].residues, file, number);
    }
    return raw;
}

} // namespace attn::msa
