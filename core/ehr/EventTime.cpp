#include "ehr/EventTime.h"

#include <date/date.h>

#include <array>
#include <cctype>
#include <sstream>

namespace attn {
namespace {

using Seconds = date::sys_time<std::chrono::seconds>;

bool digitsAt(std::string_view s, std::size_t from, std::size_t count)
{
    if (s.size() < from + count)
        return false;
    for (std::size_t i = from; i < from + count; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

/// Parses `text` with the date library's `format` into `value`; false unless all of it is used.
template <class T, class... Extra>
bool parseWhole(std::string_view text, const char* format, T& value, Extra&... extra)
{
    std::istringstream in{std::string(text)};
    in >> date::parse(format, value, extra...);
    return !in.fail() && in.peek() == std::char_traits<char>::eof();
}

std::optional<ParsedTime> calendarDate(std::string_view s)
{
    if (s.size() == 4 && digitsAt(s, 0, 4)) {
        date::year y{};
        if (!parseWhole(s, "%Y", y) || !y.ok())
            return std::nullopt;
        return ParsedTime{{Seconds{date::sys_days{y / date::January / 1}}.time_since_epoch().count(), TimePrecision::Year}};
    }
    if (s.size() == 7 && digitsAt(s, 0, 4) && s[4] == '-' && digitsAt(s, 5, 2)) {
        date::year_month_day ymd{};
        if (!parseWhole(std::string(s) + "-01", "%F", ymd) || !ymd.ok())
            return std::nullopt;
        return ParsedTime{{Seconds{date::sys_days{ymd}}.time_since_epoch().count(), TimePrecision::Month}};
    }
    if (s.size() == 10 && digitsAt(s, 0, 4) && s[4] == '-' && digitsAt(s, 5, 2) && s[7] == '-' && digitsAt(s, 8, 2)) {
        date::year_month_day ymd{};
        if (!parseWhole(s, "%F", ymd) || !ymd.ok())
            return std::nullopt;
        return ParsedTime{{Seconds{date::sys_days{ymd}}.time_since_epoch().count(), TimePrecision::Day}};
    }
    return std::nullopt;
}

/// The length of "hh:mm:ss[.fff]" (or "hh:mm" when `minutesEnough`) at the start of `s`, 0 if none.
std::size_t clockLength(std::string_view s, bool minutesEnough)
{
    if (!digitsAt(s, 0, 2) || s.size() < 5 || s[2] != ':' || !digitsAt(s, 3, 2))
        return 0;
    if (s.size() < 8 || s[5] != ':' || !digitsAt(s, 6, 2))
        return minutesEnough ? 5 : 0;
    std::size_t n = 8;
    if (n < s.size() && s[n] == '.') {
        const std::size_t first = ++n;
        while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])))
            ++n;
        if (n == first)
            return 0;
    }
    return n;
}

/// A date, a separator and a clock time with an optional offset; `lenient` is the event tables'.
std::optional<ParsedTime> dateAndClock(std::string_view s, bool lenient)
{
    if (s.size() < 11 || !(s[10] == 'T' || (lenient && s[10] == ' ')) || !calendarDate(s.substr(0, 10)))
        return std::nullopt;
    std::string_view rest = s.substr(11);
    const std::size_t clock = clockLength(rest, lenient);
    if (clock == 0)
        return std::nullopt;
    std::string text = std::string(s.substr(0, 10)) + "T" + std::string(rest.substr(0, clock)) + (clock == 5 ? ":00" : "");
    const bool leapSecond = text.compare(17, 2, "60") == 0; // 23:59:60 is valid FHIR, not a date-library time
    if (leapSecond)
        text.replace(17, 2, "59");
    std::string_view offset = rest.substr(clock);
    const bool withoutOffset = offset.empty();
    if (offset == "Z" || withoutOffset)
        offset = "+00:00";
    if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || !digitsAt(offset, 1, 2) || offset[3] != ':'
        || !digitsAt(offset, 4, 2))
        return std::nullopt;
    date::sys_time<std::chrono::milliseconds> instant{};
    std::chrono::minutes parsedOffset{};
    if (!parseWhole(text + std::string(offset), "%FT%T%Ez", instant, parsedOffset) || parsedOffset > std::chrono::hours{14}
        || parsedOffset < -std::chrono::hours{14})
        return std::nullopt;
    const auto seconds = date::floor<std::chrono::seconds>(instant).time_since_epoch().count() + (leapSecond ? 1 : 0);
    return ParsedTime{{seconds, TimePrecision::Second}, withoutOffset};
}

} // namespace

const char* precisionName(TimePrecision precision)
{
    switch (precision) {
    case TimePrecision::Year: return "year";
    case TimePrecision::Month: return "month";
    case TimePrecision::Day: return "day";
    case TimePrecision::Second: break;
    }
    return "second";
}

std::optional<TimePrecision> precisionNamed(std::string_view name)
{
    for (const TimePrecision p : {TimePrecision::Year, TimePrecision::Month, TimePrecision::Day, TimePrecision::Second})
        if (name == precisionName(p))
            return p;
    return std::nullopt;
}

std::int64_t EventTime::periodEnd() const
{
    const Seconds start{std::chrono::seconds{seconds}};
    const date::year_month_day day{date::floor<date::days>(start)};
    switch (precision) {
    case TimePrecision::Year: return Seconds{date::sys_days{(day.year() + date::years{1}) / date::January / 1}}.time_since_epoch().count();
    case TimePrecision::Month: return Seconds{date::sys_days{(day.year() / day.month() + date::months{1}) / 1}}.time_since_epoch().count();
    case TimePrecision::Day: return seconds + 86400;
    case TimePrecision::Second: break;
    }
    return seconds + 1;
}

std::optional<ParsedTime> parseFhirTime(std::string_view text)
{
    if (text.size() <= 10)
        return calendarDate(text);
    return dateAndClock(text, false);
}

std::optional<ParsedTime> parseTableTime(std::string_view text)
{
    if (text.size() <= 10)
        return calendarDate(text);
    return dateAndClock(text, true);
}

std::string formatUtc(std::int64_t seconds)
{
    return date::format("%FT%TZ", Seconds{std::chrono::seconds{seconds}});
}

double daysBetween(std::int64_t a, std::int64_t b)
{
    return static_cast<double>(b - a) / 86400.0;
}

} // namespace attn
