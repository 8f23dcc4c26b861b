#include "ehr/EventWriter.h"

#include "util/Error.h"

#include <charconv>
#include <fstream>

namespace attn {
namespace {

void writeField(std::ostream& out, const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out << text;
        return;
    }
    out << '"';
    for (const char c : text)
        out << (c == '"' ? "\"\"" : std::string(1, c));
    out << '"';
}

std::string number(double value)
{
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return error == std::errc{} ? std::string(buffer, end) : std::string{};
}

} // namespace

void writeEventsCsv(const EventTable& table, std::ostream& out)
{
    out << "subject_id,time,code,numeric_value,text_value,unit,end,precision,resource";
    for (const std::string& column : table.extraColumns) {
        out << ',';
        writeField(out, column);
    }
    out << '\n';
    for (const Event& e : table.events) {
        writeField(out, e.subject);
        out << ',' << (e.time ? formatUtc(e.time->seconds) : "") << ',';
        writeField(out, e.code);
        out << ',' << (e.numeric ? number(*e.numeric) : "") << ',';
        writeField(out, e.text);
        out << ',';
        writeField(out, e.unit);
        out << ',' << (e.end ? formatUtc(e.end->seconds) : "") << ',' << (e.time ? precisionName(e.time->precision) : "") << ',';
        writeField(out, e.resource);
        for (const std::string& value : e.extra) {
            out << ',';
            writeField(out, value);
        }
        out << '\n';
    }
}

void writeEventsCsv(const EventTable& table, const std::filesystem::path& path)
{
    const std::filesystem::path partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary);
        check<IoError>(static_cast<bool>(out), path.string() + ": cannot write");
        writeEventsCsv(table, out);
        out.close();
        check<IoError>(!out.fail(), path.string() + ": cannot write (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    check<IoError>(!ec, path.string() + ": cannot write (" + ec.message() + ")");
}

} // namespace attn
