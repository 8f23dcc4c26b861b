#pragma once
/// @file EventWriter.h
/// events.csv: subject_id, time, code, numeric_value, text_value, unit, end, precision, resource,
/// then the table's extra columns. Times are "YYYY-MM-DDTHH:MM:SSZ"; numbers are the shortest
/// text that reads back to the same double; fields are quoted as RFC 4180 asks.

#include "ehr/Event.h"

#include <filesystem>
#include <ostream>

namespace attn {

/// Writes the table as CSV to a stream.
void writeEventsCsv(const EventTable& table, std::ostream& out);

/// Writes the table to a file, replaced only when complete. Throws IoError naming it.
void writeEventsCsv(const EventTable& table, const std::filesystem::path& path);

} // namespace attn
