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

/// The parse in progress: rows, per-residue annotations (#=GR, checked once every row is known)
/// and the names of the current block.
class StockholmParser {
public:
    explicit StockholmParser(const std::string& file) : file_(file) { raw_.format = MsaFormat::Stockholm; }
    /// Reads one line after the header; false once "//" ends the alignment.
    bool line(std::string_view line, int number);
    /// The alignment, with every annotation checked against its rows and columns.
    RawAlignment finish();

private:
    void sequenceAnnotation(std::string_view line, int number);
    void checkLengths();

    const std::string& file_;
    RawAlignment raw_;
    Rows rows_;
    std::map<std::string, std::map<std::string, std::string>> perResidue_; // #=GR name -> tag -> chars
    std::map<std::string, int> perResidueLine_;
    std::set<std::string> inBlock_; // names seen in the current block
};

bool StockholmParser::line(std::string_view line, int number)
{
    if (trim(line).empty()) {
        inBlock_.clear();
        return true;
    }
    if (line.substr(0, 2) == "//")
        return false;
    if (line.substr(0, 4) == "#=GC") {
        const auto [tag, chars] = firstWord(line.substr(4));
        raw_.columnAnnotations[std::string(tag)] += trim(chars);
    } else if (line.substr(0, 4) == "#=GS" || line.substr(0, 4) == "#=GR") {
        sequenceAnnotation(line, number);
    } else if (line.front() != '#') { // not #=GF or a comment
        const auto [name, residues] = firstWord(line);
        const std::string key(name);
        if (!inBlock_.insert(key).second)
            fail(file_, number, "sequence '" + key + "' appears twice in one block");
        appendResidues(residues, rows_.at(key, number).residues, file_, number);
    }
    return true;
}

void StockholmParser::sequenceAnnotation(std::string_view line, int number)
{
    const auto [name, rest] = firstWord(line.substr(4));
    const auto [tag, text] = firstWord(rest);
    if (name.empty() || tag.empty())
        fail(file_, number, "a " + std::string(line.substr(0, 4)) + " line needs a sequence name and a tag");
    if (line[3] == 'S') {
        std::string& kept = rows_.at(std::string(name), number).row.text[std::string(tag)];
        kept += kept.empty() ? "" : " ";
        kept += trim(text);
    } else {
        perResidue_[std::string(name)][std::string(tag)] += trim(text);
        perResidueLine_.emplace(std::string(name), number);
    }
}

void StockholmParser::checkLengths()
{
    for (const RawRow& r : raw_.rows)
        for (const auto& [tag, chars] : r.row.perColumn)
            if (chars.size() != r.residues.size())
                fail(file_, perResidueLine_[r.row.name], "#=GR " + r.row.name + " " + tag + " has " + std::to_string(chars.size()) +
                                                             " characters for " + std::to_string(r.residues.size()) + " columns");
    for (const auto& [tag, chars] : raw_.columnAnnotations)
        if (!raw_.rows.empty() && chars.size() != raw_.rows.front().residues.size())
            fail(file_, raw_.rows.front().row.line, "#=GC " + tag + " has " + std::to_string(chars.size()) + " characters for " +
                                                        std::to_string(raw_.rows.front().residues.size()) + " columns");
}

RawAlignment StockholmParser::finish()
{
    for (auto& [name, tags] : perResidue_) {
        if (!rows_.has(name))
            fail(file_, perResidueLine_[name], "#=GR annotation of '" + name + "', which is not a sequence of the alignment");
        rows_.at(name, 0).row.perColumn = std::move(tags);
    }
    raw_.rows = rows_.take();
    checkLengths();
    return std::move(raw_);
}

} // namespace

RawAlignment parseStockholm(const std::vector<std::string_view>& lines, const std::string& file)
{
    StockholmParser parser(file);
    bool header = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!header) {
            header = !trim(lines[i]).empty(); // parseMsa saw "# STOCKHOLM" there
            continue;
        }
        if (!parser.line(lines[i], static_cast<int>(i + 1)))
            return parser.finish();
    }
    fail(file, static_cast<int>(lines.size()), "no '//' line ends the alignment (the file may be cut short)");
}

} // namespace attn::msa
