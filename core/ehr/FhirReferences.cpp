// References between FHIR resources: keys, and resolving them once the whole input is read.

#include "ehr/FhirRead.h"

namespace attn::fhir {

std::string referenceId(const std::string& key)
{
    const std::size_t cut = key.find_last_of("/:");
    return cut == std::string::npos ? key : key.substr(cut + 1);
}

std::string referenceKey(const std::string& reference)
{
    if (reference.rfind("urn:", 0) == 0 || reference.empty() || reference[0] == '#')
        return reference;
    std::string key = reference;
    if (const std::size_t history = key.find("/_history/"); history != std::string::npos)
        key.resize(history);
    // "http://server/fhir/Patient/abc" -> "Patient/abc": the last two segments.
    const std::size_t last = key.rfind('/');
    if (last == std::string::npos || last == 0)
        return key;
    const std::size_t before = key.rfind('/', last - 1);
    return before == std::string::npos ? key : key.substr(before + 1);
}

void resolveReferences(FhirRead& read)
{
    for (std::size_t i = 0; i < read.table.events.size(); ++i) {
        const std::string& key = read.subjectKeys[i];
        const auto patient = read.patients.find(key);
        Event& e = read.table.events[i];
        if (patient != read.patients.end()) {
            e.subject = patient->second;
            continue;
        }
        e.subject = referenceId(key);
        read.report.warn("a subject that is not in the input, named by its reference", e.resource + " of " + key);
    }
    for (const MedicationUse& use : read.medications) {
        Event& e = read.table.events[use.event];
        const auto code = read.medicationCodes.find(use.key);
        if (code != read.medicationCodes.end()) {
            e.code = code->second.code;
            e.display = code->second.display.empty() ? use.display : code->second.display;
            continue;
        }
        read.report.warn("a medicationReference that cannot be resolved, coded MEDICATION//<display>",
                         e.resource + " of " + e.subject + ": " + (use.key.empty() ? "(contained, no code)" : use.key));
    }
}

} // namespace attn::fhir
