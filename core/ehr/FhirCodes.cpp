#include "ehr/FhirCodes.h"

#include <array>
#include <utility>

namespace attn::fhir {

std::string systemName(const std::string& uri)
{
    static const std::array<std::pair<const char*, const char*>, 5> names{{
        {"http://snomed.info/sct", "SNOMED"},
        {"http://www.nlm.nih.gov/research/umls/rxnorm", "RXNORM"},
        {"http://loinc.org", "LOINC"},
        {"http://hl7.org/fhir/sid/cvx", "CVX"},
        {"http://hl7.org/fhir/sid/icd-10-cm", "ICD10CM"},
    }};
    for (const auto& [known, name] : names)
        if (uri == known)
            return name;
    return uri;
}

std::string stringAt(const nlohmann::json& object, const char* key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<Code> codingCode(const nlohmann::json& coding)
{
    const std::string code = stringAt(coding, "code");
    if (code.empty())
        return std::nullopt;
    const std::string system = systemName(stringAt(coding, "system"));
    const bool known = system != stringAt(coding, "system");
    return Code{known ? system + "/" + code : system + "|" + code, stringAt(coding, "display")};
}

std::optional<Code> conceptCode(const nlohmann::json& codeable)
{
    if (!codeable.is_object())
        return std::nullopt;
    const auto codings = codeable.find("coding");
    if (codings == codeable.end() || !codings->is_array())
        return std::nullopt;
    for (const nlohmann::json& coding : *codings)
        if (std::optional<Code> code = codingCode(coding)) {
            if (code->display.empty())
                code->display = stringAt(codeable, "text");
            return code;
        }
    return std::nullopt;
}

} // namespace attn::fhir
