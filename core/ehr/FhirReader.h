#pragma once
/// @file FhirReader.h
/// FHIR R4 JSON as events: Bundles (transaction, collection, searchset, batch, any type), single
/// resources, and bulk NDJSON (one resource per line), gzipped or not; a folder of NDJSON files
/// (a bulk export) is read as one input. What each resource type gives is in docs/ehr-events.md.

#include "ehr/EventLoad.h"

#include <filesystem>
#include <string>

namespace attn {

/// True if a file's head looks like FHIR JSON: a JSON object with a resourceType.
bool looksLikeFhir(const std::string& head);

/// True for a .json or .ndjson name, gzipped (.gz) or not: read as FHIR whatever it holds, so
/// that its errors are JSON's.
bool hasFhirFileName(const std::filesystem::path& path);

/// Reads FHIR JSON or NDJSON text; `file` names it in messages. Throws FormatError
/// "FILE:LINE: ..." for bad JSON, and naming the resource for an invalid date.
EventLoad parseFhir(const std::string& text, const std::string& file);

/// Reads a FHIR file, or every .ndjson / .json file (gzipped or not) of a folder, as one input.
EventLoad readFhir(const std::filesystem::path& path);

} // namespace attn
