#include "io/BedFile.h"

#include "io/TextFile.h"
#include "util/Error.h"

#include <charconv>
#include <sstream>

namespace attn {
namespace {

long coordinate(const std::string& field, const std::string& where, const char* what)
{
    long value = -1;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    check<FormatError>(error == std::errc() && end == field.data() + field.size() && value >= 0,
                       where + ": the " + what + " must be a whole number from 0, not \"" + field + "\"");
    return value;
}

bool skipped(const std::string& line)
{
    const auto first = line.find_first_not_of(" \t\r");
    return first == std::string::npos || line[first] == '#' || line.rfind("track", first) == first || line.rfind("browser", first) == first;
}

} // namespace

std::vector<BedInterval> parseBed(const std::string& text, const std::string& file)
{
    std::vector<BedInterval> out;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (skipped(line))
            continue;
        const std::string where = file + " line " + std::to_string(number);
        std::istringstream fields(line);
        BedInterval b;
        std::string start, end;
        check<FormatError>(static_cast<bool>(fields >> b.name >> start >> end),
                           where + ": expected a sequence name, a 0-based start and an end");
        b.start = coordinate(start, where, "start");
        b.end = coordinate(end, where, "end");
        check<FormatError>(b.end > b.start, where + ": the end (" + end + ") must be after the start (" + start + "); ends are exclusive");
        out.push_back(std::move(b));
    }
    check<FormatError>(!out.empty(), file + ": no BED intervals (a name, a 0-based start and an exclusive end per line)");
    return out;
}

std::vector<BedInterval> readBed(const std::filesystem::path& path)
{
    return parseBed(readMaybeGzippedText(path), path.string());
}

} // namespace attn
