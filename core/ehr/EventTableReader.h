#pragma once
/// @file EventTableReader.h
/// MEDS-shaped event tables as CSV or TSV (judged by the header line), gzipped or not: columns
/// subject_id, time, code, numeric_value, text_value, and optionally unit, end, precision and
/// resource (what `attnscope-cli events` writes); other columns are kept. A row with no time is
/// static. Several subjects may share a file. Other layouts are read through a ColumnMapping.
/// Fields are split by libcsv (RFC 4180 quoting, strict).

#include "ehr/ColumnMapping.h"
#include "ehr/EventLoad.h"

#include <filesystem>
#include <string>

namespace attn {

/// True if a file's head looks like a delimited table: a first line with a comma or a tab.
bool looksLikeEventTable(const std::string& head);

/// Reads table text; `file` names it in messages and `table` is the events' resource when the
/// table has no resource column. Throws FormatError "FILE:LINE: problem" for a missing column,
/// a row of the wrong length, bad quoting, a bad time or number.
EventLoad parseEventTable(const std::string& text, const std::string& file, const std::string& table,
                          const ColumnMapping& mapping = {});

/// Reads an event table file; its resource is the file's name without its suffixes.
EventLoad readEventTable(const std::filesystem::path& path, const ColumnMapping& mapping = {});

} // namespace attn
