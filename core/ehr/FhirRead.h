#pragma once
/// @file FhirRead.h
/// Internal to the FHIR reader (it exposes nlohmann-json): the state of one read. Resources are
/// turned into events one at a time, as they are parsed; references to patients and medications
/// are kept as keys and resolved once the whole input is read, so a bulk export's Patient.ndjson
/// may come after its Observation.ndjson and only Patients' ids and Medications' codes are kept.

#include "ehr/Event.h"
#include "ehr/FhirCodes.h"
#include "ehr/LoadReport.h"

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_map>
#include <vector>

namespace attn::fhir {

/// An event whose code is a Medication referred to by `key`, or MEDICATION//`display` if none.
struct MedicationUse {
    std::size_t event = 0;
    std::string key;
    std::string display;
};

struct FhirRead {
    std::string file;                                    ///< Names the input in messages.
    EventTable table;                                    ///< Events, their subject still a reference key.
    LoadReport report;
    std::vector<std::string> subjectKeys;                ///< Per event: its subject reference's key.
    std::vector<MedicationUse> medications;              ///< Events waiting for their Medication's code.
    std::unordered_map<std::string, std::string> patients; ///< Reference key -> Patient.id.
    std::unordered_map<std::string, Code> medicationCodes; ///< Reference key -> the Medication's code.
};

/// The key a reference is looked up by: a fullUrl ("urn:uuid:..."), or "Type/id" (a history
/// version and a server's base dropped).
std::string referenceKey(const std::string& reference);

/// The id part of a reference key or fullUrl ("Patient/abc" -> "abc", "urn:uuid:abc" -> "abc").
std::string referenceId(const std::string& key);

/// Turns one resource into events (a Bundle: each of its entries'), or records it as a Patient or
/// Medication others refer to, or counts its type as one with no events. `where` names it when it
/// has no id ("entry 12", "line 40"). Throws FormatError naming the file and the resource for an
/// invalid date.
void readResource(const nlohmann::json& resource, const std::string& fullUrl, const std::string& where, FhirRead& read);

/// Gives each event its Patient's id and each medication reference its Medication's code, with
/// warnings for those not in the input.
void resolveReferences(FhirRead& read);

} // namespace attn::fhir
