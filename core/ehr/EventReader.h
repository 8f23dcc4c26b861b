#pragma once
/// @file EventReader.h
/// A patient record from any of the inputs the EHR kind opens, judged by content: FHIR JSON or
/// NDJSON (a file, or a folder of a bulk export or of Bundles), an event table (CSV, TSV), or a MEDS
/// Parquet dataset folder (MedsDataset.h).

#include "ehr/ColumnMapping.h"
#include "ehr/EventLoad.h"
#include "ehr/MedsDataset.h"

#include <filesystem>
#include <memory>
#include <string>

namespace attn {

struct EventReadOptions {
    ColumnMapping mapping; ///< For event tables that are not MEDS-shaped.
    std::string subject;   ///< Only this subject (empty: all).
};

/// True if the file or folder is one readEvents() reads: FHIR JSON with a resourceType, a folder
/// of .ndjson / .json files, or a table whose header has subject_id, time and code.
bool looksLikeEvents(const std::filesystem::path& path);

/// For the inputs read one subject at a time, their reader: a MEDS Parquet dataset, or an event table
/// of at least MedsDataset::kLargeTableBytes (through DuckDB). Null for the others, which are read
/// whole. Throws FormatError naming the input when it cannot be opened.
std::unique_ptr<MedsDataset> subjectReader(const std::filesystem::path& path, const ColumnMapping& mapping = {});

/// Reads the record (one subject of a subjectReader() input without reading the others). Throws FormatError naming the file (and line or resource) for bad input,
/// IoError when it cannot be read.
EventLoad readEvents(const std::filesystem::path& path, const EventReadOptions& options = {});

} // namespace attn
