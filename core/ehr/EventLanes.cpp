#include "ehr/EventLanes.h"

#include <algorithm>
#include <cctype>

namespace attn {
namespace {

bool startsWith(const std::string& s, const char* prefix)
{
    return s.rfind(prefix, 0) == 0;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

EventLane laneOfResource(const std::string& r)
{
    if (r == "Encounter")
        return EventLane::Encounters;
    if (r == "Condition")
        return EventLane::Conditions;
    if (startsWith(r, "Medication"))
        return EventLane::Medications;
    if (r == "Observation" || r == "DiagnosticReport")
        return EventLane::LabsAndVitals;
    if (r == "Procedure")
        return EventLane::Procedures;
    if (r == "Immunization")
        return EventLane::Immunizations;
    return EventLane::Other;
}

EventLane laneOfCode(const std::string& code)
{
    if (startsWith(code, "ICD10CM/") || startsWith(code, "SNOMED/"))
        return EventLane::Conditions;
    if (startsWith(code, "RXNORM/") || startsWith(code, "MEDICATION//"))
        return EventLane::Medications;
    if (startsWith(code, "LOINC/"))
        return EventLane::LabsAndVitals;
    if (startsWith(code, "CVX/"))
        return EventLane::Immunizations;
    return EventLane::Other;
}

} // namespace

const std::vector<EventLane>& eventLanes()
{
    static const std::vector<EventLane> lanes{EventLane::Encounters,  EventLane::Conditions,    EventLane::Medications, EventLane::LabsAndVitals,
                                              EventLane::Procedures, EventLane::Immunizations, EventLane::Other};
    return lanes;
}

const char* laneName(EventLane lane)
{
    switch (lane) {
    case EventLane::Encounters: return "Encounters";
    case EventLane::Conditions: return "Conditions";
    case EventLane::Medications: return "Medications";
    case EventLane::LabsAndVitals: return "Labs and vitals";
    case EventLane::Procedures: return "Procedures";
    case EventLane::Immunizations: return "Immunizations";
    case EventLane::Other: return "Other";
    }
    return "Other";
}

EventLane laneOf(const Event& event)
{
    const EventLane byResource = laneOfResource(event.resource);
    return byResource != EventLane::Other ? byResource : laneOfCode(event.code);
}

bool isAnticoagulant(const Event& event)
{
    if (event.code == "RXNORM/855332")
        return true;
    static const char* const names[] = {"warfarin", "heparin", "enoxaparin", "dalteparin", "apixaban", "rivaroxaban", "dabigatran", "edoxaban"};
    const std::string text = lower(event.code + " " + event.display);
    return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return text.find(n) != std::string::npos; });
}

} // namespace attn
