#pragma once
/// @file FhirCodes.h
/// Internal to the FHIR reader (it exposes nlohmann-json): codes from CodeableConcepts and Codings.
/// A code is "SYSTEM/code" for SNOMED, RXNORM, LOINC, CVX and ICD10CM (by their standard URIs),
/// otherwise "URI|code", from the first coding.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace attn::fhir {

/// A code and the text people read for it.
struct Code {
    std::string code;
    std::string display;
};

/// The short name of a code system's URI ("SNOMED" for http://snomed.info/sct, ...), or the URI.
std::string systemName(const std::string& uri);

/// "SYSTEM/code" or "URI|code" for one Coding; nothing when it has no code.
std::optional<Code> codingCode(const nlohmann::json& coding);

/// The first coding's code of a CodeableConcept; nothing when no coding has a code. The display is
/// the coding's, else the concept's text.
std::optional<Code> conceptCode(const nlohmann::json& codeable);

/// A string member, or "" when it is missing or not a string.
std::string stringAt(const nlohmann::json& object, const char* key);

} // namespace attn::fhir
