#pragma once
/// @file Event.h
/// A patient's record as MEDS has it: one row per measurement (subject, time, code, value), read
/// from FHIR resources or an event table. Rows without a time are static (gender, say).

#include "ehr/EventTime.h"

#include <optional>
#include <string>
#include <vector>

namespace attn {

/// One measurement of one subject.
struct Event {
    std::string subject;              ///< subject_id (a FHIR Patient's id, or the table's value).
    std::optional<EventTime> time;    ///< When; none for a static row.
    std::string code;                 ///< "SYSTEM/code" (SNOMED/..., LOINC/...), "URI|code", MEDS_BIRTH, ...
    std::optional<double> numeric;    ///< numeric_value.
    std::string text;                 ///< text_value.
    std::string unit;                 ///< The numeric value's unit.
    std::optional<EventTime> end;     ///< When it ended (an encounter's period.end).
    std::string resource;             ///< The FHIR resource type, or the table it came from.
    std::string display;              ///< Display text of the code, for people.
    std::vector<std::string> extra;   ///< The table's extra columns (EventTable::extraColumns), in order.

    bool isStatic() const { return !time.has_value(); }
};

/// The events read from one input, in the order read until sorted.
struct EventTable {
    std::vector<std::string> extraColumns; ///< Columns of a table beyond the known ones, kept.
    std::vector<Event> events;

    /// The subjects, in the order they first appear.
    std::vector<std::string> subjects() const;

    /// One subject's events (all when `subject` is empty). Throws FormatError naming `file` and
    /// some subjects it has when there is no such subject.
    EventTable ofSubject(const std::string& subject, const std::string& file) const;
};

/// Sorts each subject's events by time, static rows first, ties in the order read; subjects stay
/// in the order they first appear, each one's rows together.
void sortEvents(EventTable& table);

} // namespace attn
