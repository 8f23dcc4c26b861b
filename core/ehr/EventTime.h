#pragma once
/// @file EventTime.h
/// When an event happened: a UTC instant in seconds, and the precision it was given with. A
/// partial date (a year, a month) or a date alone is the start of its period in UTC, never moved
/// by a time zone, so its calendar day stays the one written.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attn {

/// How precisely a time was given.
enum class TimePrecision { Year, Month, Day, Second };

/// "year", "month", "day" or "second" (the events.csv `precision` column).
const char* precisionName(TimePrecision precision);

/// The precision named by precisionName(), if `name` is one.
std::optional<TimePrecision> precisionNamed(std::string_view name);

/// A time: the start of its period, in seconds since 1970-01-01T00:00:00Z.
struct EventTime {
    std::int64_t seconds = 0;
    TimePrecision precision = TimePrecision::Second;

    /// The first second after the period (a second-precision time's is the next second).
    std::int64_t periodEnd() const;
};

/// A time read from text, and whether it had hours but no UTC offset (read as UTC).
struct ParsedTime {
    EventTime time;
    bool withoutOffset = false;
};

/// Parses a FHIR R4 date, dateTime or instant: YYYY, YYYY-MM, YYYY-MM-DD or
/// YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm). Calendar checks (months, days, leap years) are the
/// date library's. Nothing (no value) when the text is not one of these or not a real date.
std::optional<ParsedTime> parseFhirTime(std::string_view text);

/// Parses a time of an event table: the FHIR forms, and also a space instead of 'T', minutes
/// without seconds, and no offset (a table's times are UTC, as MEDS's are).
std::optional<ParsedTime> parseTableTime(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ".
std::string formatUtc(std::int64_t seconds);

/// The time in days between two instants (b - a).
double daysBetween(std::int64_t a, std::int64_t b);

} // namespace attn
