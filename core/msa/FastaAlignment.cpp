// A3M, A2M and aligned FASTA: '>' name lines, each followed by sequence lines (wrapped or not).
// HH-suite's A3M files also carry '#' lines and secondary-structure records (ss_pred, ss_conf,
// ss_dssp, sa_dssp) and sometimes a Consensus record: none of them is a sequence.

#include "msa/MsaText.h"

#include <algorithm>
#include <cctype>

namespace attn::msa {
namespace {

bool isAnnotationRecord(const std::string& name)
{
    std::string word = name.substr(0, name.find_first_of(" \t"));
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return word == "ss_pred" || word == "ss_conf" || word == "ss_dssp" || word == "sa_dssp" || word.rfind("consensus", 0) == 0;
}

} // namespace

RawAlignment parseFastaAlignment(const std::vector<std::string_view>& lines, const std::string& file)
{
    RawAlignment raw;
    bool skipping = false; // inside an annotation record
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const int number = static_cast<int>(i + 1);
        if (line.empty() || line.front() == '#')
            continue;
        if (line.front() == '>') {
            const std::string name(trim(line.substr(1)));
            skipping = isAnnotationRecord(name);
            if (!skipping) {
                raw.rows.emplace_back();
                raw.rows.back().row.name = name;
                raw.rows.back().row.line = number;
            }
            continue;
        }
        if (skipping)
            continue;
        if (raw.rows.empty()) {
            if (trim(line).empty())
                continue;
            fail(file, number, "sequence letters before the first '>' name line");
        }
        appendResidues(line, raw.rows.back().residues, file, number);
    }
    return raw;
}

} // namespace attn::msa
