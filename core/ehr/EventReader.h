#pragma once
/// @file EventReader.h
/// A patient record from any of the inputs the EHR kind opens, judged by content: FHIR JSON or
/// NDJSON (a file, or a folder of a bulk export or of Bundles), an event table (CSV, TSV), or a MEDS
/// Parquet dataset folder (MedsDataset.h).

#include "ehr/ColumnMapping.h"
#include "ehr/EventLoad.h"

#include <filesystem>
#include <string>

namespace attn {

struct EventReadOptions {
    ColumnMapping mapping; ///< For event tables that are not MEDS-shaped.
    std::string subject;   ///< Only this subject (empty: all).
};

/// True if the file or folder is one readEvents() reads: FHIR JSON with a resourceType, a folder
/// of .ndjson / .json files, or a table whose header has subject_id, time and code.
bool looksLikeEvents(const std::filesystem::path& path);

/// Reads the record. Throws FormatError naming the file (and line or resource) for bad input,
/// IoError when it cannot be read.
EventLoad readEvents(const std::filesystem::path& path, const EventReadOptions& options = {});

} // namespace attn
