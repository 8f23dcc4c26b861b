#pragma once
/// @file EventLanes.h
/// Which lane of the timeline an event is drawn in (by its FHIR resource type, else by its code's
/// system), and which events are anticoagulants (the timeline's default day 0, as LifeLines2
/// aligns records on a chosen event).

#include "ehr/Event.h"

#include <string>
#include <vector>

namespace attn {

/// The timeline's lanes, top to bottom.
enum class EventLane { Encounters, Conditions, Medications, LabsAndVitals, Procedures, Immunizations, Other };

/// All lanes in drawing order.
const std::vector<EventLane>& eventLanes();
/// "Encounters", "Conditions", "Medications", "Labs and vitals", "Procedures", "Immunizations", "Other".
const char* laneName(EventLane lane);
/// The lane of an event: its resource type (Encounter, Condition, Medication*, Observation and
/// DiagnosticReport, Procedure, Immunization), else its code's system (ICD10CM and SNOMED:
/// conditions, RXNORM: medications, LOINC: labs, CVX: immunizations), else Other.
EventLane laneOf(const Event& event);
/// True for warfarin (RXNORM/855332, the demo's planted drug) and for any event whose code or
/// display names an anticoagulant (warfarin, heparin, enoxaparin, dalteparin, apixaban,
/// rivaroxaban, dabigatran, edoxaban), case-insensitively.
bool isAnticoagulant(const Event& event);

} // namespace attn
