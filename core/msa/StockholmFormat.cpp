// Stockholm 1.0 (https://sonnhammer.sbc.su.se/Stockholm.html, as Pfam, HMMER and Rfam write it):
// "# STOCKHOLM 1.0", then blocks of "name residues" lines separated by blank lines, each block
// continuing the rows of the first by name; "#=GF" (file), "#=GS" (sequence), "#=GR" (sequence,
// per column) and "#=GC" (per column) annotations; "//" ends the alignment. Only the first
// alignment of a file is read.

#include "msa/MsaText.h"

#include <map>
#include <set>

namespace attn::msa {
namespace {

/// Splits off the first whitespace-separated word.
std::pair<std::string_view, std::string_view> firstWord(std::string_view s)
{
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string_view::npos)
        return {{}, {}};
    s = s.substr(begin);
    const auto end = s.find_first_of(" \t");
    if (end == std::string_view::npos)
        return {s, {}};
    const auto rest = s.find_first_not_of(" \t", end);
    return {s.substr(0, end), rest == std::string_view::npos ? std::string_view{} : s.substr(rest)};
}

/// The rows by name, in the order they first appear.
class Rows {
public:
    RawRow& at(const std::string& name, int line)
    {
        const auto found = index_.find(name);
        if (found != index_.end())
            return rows_[found->second];
        index_[name] = rows_.size();
        rows_.emplace_back();
        rows_.back().row.name = name;
        rows_.back().row.line = line;
        return rows_.back();
    }
    bool has(const std::string& name) const { return index_.count(name) > 0; }
    std::vector<RawRow> take() { return std::move(rows_); }

private:
    std::vector<RawRow> rows_;
    std::map<std::string, std::size_t> index_;
};

} // namespace

RawAlignment parseStockholm(const std::vector<std::string_view>& lines, const std::string& file)
{
    RawAlignment raw;
    raw.format = MsaFormat::Stockholm;
    Rows rows;
    std::map<std::string, std::map<std::string, std::string>> perResidue; // #=GR name -> tag -> chars
    std::map<std::string, int> perResidueLine;
    std::set<std::string> inBlock; // names seen in the current block
    bool header = false, ended = false;
    for (std::size_t i = 0; i < lines.size() && !ended; ++i) {
        const std::string_view line = lines[i];
        const int number = static_cast<int>(i + 1);
        if (!header) {
            if (trim(line).empty())
                continue;
            header = true; // parseMsa saw "# STOCKHOLM" here
            continue;
        }
        if (trim(line).empty()) {
            inBlock.clear();
            continue;
        }
        if (line.substr(0, 2) == "//") {
            ended = true;
            continue;
        }
        if (line.substr(0, 4) == "#=GC") {
            const auto [tag, chars] = firstWord(line.substr(4));
            raw.columnAnnotations[std::string(tag)] += trim(chars);
            continue;
        }
        if (line.substr(0, 4) == "#=GS" || line.substr(0, 4) == "#=GR") {
            const auto [name, rest] = firstWord(line.substr(4));
            const auto [tag, text] = firstWord(rest);
            if (name.empty() || tag.empty())
                fail(file, number, "a " + std::string(line.substr(0, 4)) + " line needs a sequence name and a tag");
            if (line[3] == 'S') {
                std::string& kept = rows.at(std::string(name), number).row.text[std::string(tag)];
                kept += kept.empty() ? "" : " ";
                kept += trim(text);
            } else {
                perResidue[std::string(name)][std::string(tag)] += trim(text);
                perResidueLine.emplace(std::string(name), number);
            }
            continue;
        }
        if (line.front() == '#')
            continue; // #=GF and comments
        const auto [name, residues] = firstWord(line);
        const std::string key(name);
        if (!inBlock.insert(key).second)
            fail(file, number, "sequence '" + key + "' appears twice in one block");
        appendResidues(residues, rows.at(key, number).residues, file, number);
    }
    if (!ended)
        fail(file, static_cast<int>(lines.size()), "no '//' line ends the alignment (the file may be cut short)");
    for (auto& [name, tags] : perResidue) {
        if (!rows.has(name))
            fail(file, perResidueLine[name], "#=GR annotation of '" + name + "', which is not a sequence of the alignment");
        rows.at(name, 0).row.perColumn = std::move(tags);
    }
    raw.rows = rows.take();
    for (const RawRow& r : raw.rows)
        for (const auto& [tag, chars] : r.row.perColumn)
            if (chars.size() != r.residues.size())
                fail(file, perResidueLine[r.row.name], "#=GR " + r.row.name + " " + tag + " has " + std::to_string(chars.size()) +
                                                           " characters for " + std::to_string(r.residues.size()) + " columns");
    for (const auto& [tag, chars] : raw.columnAnnotations)
        if (!raw.rows.empty() && chars.size() != raw.rows.front().residues.size())
            fail(file, raw.rows.front().row.line, "#=GC " + tag + " has " + std::to_string(chars.size()) + " characters for " +
                                                      std::to_string(raw.rows.front().residues.size()) + " columns");
    return raw;
}

} // namespace attn::msa
