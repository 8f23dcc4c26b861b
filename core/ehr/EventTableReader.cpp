#include "ehr/EventTableReader.h"

#include "io/TextFile.h"
#include "util/Error.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

namespace attn {
namespace {

constexpr int kNone = -1;

/// The state libcsv's callbacks fill: the row being read, and the first problem (exceptions do
/// not cross libcsv's C code, so the problem is thrown once csv_parse returns).
struct TableParse {
    std::string file, table;
    const ColumnMapping* mapping = nullptr;
    int line = 0;       ///< The line being fed to libcsv.
    int rowLine = 0;    ///< The line where the row being read starts.
    std::vector<std::string> row;
    std::vector<std::string> header;
    std::map<std::string, std::vector<int>> sources; ///< Target -> its columns, in order.
    std::vector<int> extraColumns;
    EventLoad load;
    std::string problem;

    [[noreturn]] void fail(const std::string& what) const
    {
        throw FormatError(file + ":" + std::to_string(rowLine) + ": " + what);
    }
};

int columnIndex(const TableParse& p, const std::string& name)
{
    const auto it = std::find(p.header.begin(), p.header.end(), name);
    return it == p.header.end() ? kNone : static_cast<int>(it - p.header.begin());
}

/// Binds every target to its columns (the mapping's, else the column of its own name).
void readHeader(TableParse& p)
{
    p.header = p.row;
    std::vector<bool> used(p.header.size(), false);
    for (const std::string& target : ColumnMapping::targets()) {
        const auto mapped = p.mapping->columns.find(target);
        const std::vector<std::string> names = mapped != p.mapping->columns.end() ? mapped->second : std::vector<std::string>{target};
        for (const std::string& name : names) {
            const int index = columnIndex(p, name);
            if (index == kNone && mapped != p.mapping->columns.end())
                p.fail("no column '" + name + "' (the mapping's " + target + ")");
            if (index != kNone) {
                p.sources[target].push_back(index);
                used[static_cast<std::size_t>(index)] = true;
            }
        }
    }
    for (const char* required : {"subject_id", "time", "code"})
        if (p.sources[required].empty())
            p.fail(std::string("no '") + required + "' column (an event table has subject_id, time, code, numeric_value, "
                   "text_value; give --columns or --mapping for other layouts)");
    for (std::size_t i = 0; i < used.size(); ++i)
        if (!used[i]) {
            p.extraColumns.push_back(static_cast<int>(i));
            p.load.table.extraColumns.push_back(p.header[i]);
        }
}

/// The first non-empty field of a target's columns.
const std::string& field(const TableParse& p, const char* target)
{
    static const std::string none;
    const auto it = p.sources.find(target);
    if (it != p.sources.end())
        for (const int index : it->second)
            if (!p.row[static_cast<std::size_t>(index)].empty())
                return p.row[static_cast<std::size_t>(index)];
    return none;
}

std::optional<EventTime> timeField(const TableParse& p, const char* target)
{
    const std::string& text = field(p, target);
    if (text.empty())
        return std::nullopt;
    const std::optional<ParsedTime> parsed = parseTableTime(text);
    if (!parsed)
        p.fail(std::string(target) + " '" + text + "' is not a date or time (YYYY-MM-DD[ hh:mm[:ss]][Z])");
    return parsed->time;
}

void readRow(TableParse& p)
{
    if (p.row.size() != p.header.size())
        p.fail(std::to_string(p.row.size()) + " fields, but the header has " + std::to_string(p.header.size()));
    Event e;
    e.subject = field(p, "subject_id");
    if (e.subject.empty())
        p.fail("no subject_id");
    e.time = timeField(p, "time");
    if (const std::string& precision = field(p, "precision"); !precision.empty() && e.time) {
        const std::optional<TimePrecision> named = precisionNamed(precision);
        if (!named)
            p.fail("precision '" + precision + "' is not year, month, day or second");
        e.time->precision = *named;
    }
    e.code = field(p, "code");
    if (e.code.empty())
        p.fail("no code");
    if (!p.mapping->codePrefix.empty())
        e.code = p.mapping->codePrefix + "/" + e.code;
    if (const std::string& number = field(p, "numeric_value"); !number.empty()) {
        double value = 0;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (error != std::errc{} || end != number.data() + number.size())
            p.fail("numeric_value '" + number + "' is not a number");
        e.numeric = value;
    }
    e.text = field(p, "text_value");
    e.unit = field(p, "unit");
    e.end = timeField(p, "end");
    e.resource = field(p, "resource").empty() ? p.table : field(p, "resource");
    for (const int index : p.extraColumns)
        e.extra.push_back(p.row[static_cast<std::size_t>(index)]);
    p.load.table.events.push_back(std::move(e));
    ++p.load.report.resources;
}

void onField(void* data, std::size_t length, void* state)
{
    auto& p = *static_cast<TableParse*>(state);
    if (p.row.empty())
        p.rowLine = p.line;
    p.row.emplace_back(data ? static_cast<const char*>(data) : "", data ? length : 0);
}

void onRowEnd(int, void* state)
{
    auto& p = *static_cast<TableParse*>(state);
    if (!p.problem.empty())
        return;
    try {
        if (p.header.empty())
            readHeader(p);
        else
            readRow(p);
    } catch (const FormatError& e) {
        p.problem = e.what();
    }
    p.row.clear();
}

int noSpace(unsigned char)
{
    return 0;
}

char delimiterOf(std::string_view text)
{
    const std::string_view first = text.substr(0, text.find('\n'));
    return first.find('\t') != std::string_view::npos ? '\t' : ',';
}

} // namespace

bool looksLikeEventTable(const std::string& head)
{
    const std::string_view first = std::string_view(head).substr(0, head.find('\n'));
    return first.find(',') != std::string_view::npos || first.find('\t') != std::string_view::npos;
}

EventLoad parseEventTable(const std::string& text, const std::string& file, const std::string& table, const ColumnMapping& mapping)
{
    check<FormatError>(text.find('\0') == std::string::npos, file + ": not a text file (it holds NUL bytes)");
    TableParse p;
    p.file = file;
    p.table = table;
    p.mapping = &mapping;
    csv_parser parser{};
    check<Error>(csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) == 0, file + ": cannot start the CSV parser");
    const std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
    csv_set_delim(&parser, static_cast<unsigned char>(delimiterOf(text)));
    csv_set_space_func(&parser, noSpace);
    for (std::size_t start = 0; start < text.size() && p.problem.empty();) {
        const std::size_t end = std::min(text.find('\n', start), text.size() - 1) + 1;
        ++p.line;
        if (csv_parse(&parser, text.data() + start, end - start, onField, onRowEnd, &p) != end - start)
            throw FormatError(file + ":" + std::to_string(p.line) + ": " + csv_strerror(csv_error(&parser))
                              + " (a quote that is not closed, or text after a closing quote)");
        start = end;
    }
    if (p.problem.empty() && csv_fini(&parser, onField, onRowEnd, &p) != 0)
        throw FormatError(file + ":" + std::to_string(p.line) + ": a quoted field that is never closed");
    check<FormatError>(p.problem.empty(), p.problem);
    check<FormatError>(!p.header.empty(), file + ": empty (no header line)");
    sortEvents(p.load.table);
    return std::move(p.load);
}

EventLoad readEventTable(const std::filesystem::path& path, const ColumnMapping& mapping)
{
    std::string table = path.filename().string();
    table = table.substr(0, table.find('.'));
    return parseEventTable(readMaybeGzippedText(path), path.string(), table, mapping);
}

} // namespace attn
