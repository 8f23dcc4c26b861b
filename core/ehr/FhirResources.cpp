// Events from FHIR R4 resources: which element gives each type's time, code and values.

#include "ehr/FhirRead.h"

#include "util/Error.h"

#include <functional>
#include <map>

namespace attn::fhir {
namespace {

using Json = nlohmann::json;

/// The resource being read: its type, how it is named in messages, and the read it adds to.
struct Source {
    const Json& resource;
    std::string type;
    std::string label; ///< "Observation/abc", or "Observation (entry 12)".
    FhirRead& read;
};

const Json* member(const Json& object, const char* key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

/// Parses a date/dateTime/instant element; throws for an invalid one.
EventTime parseTime(const Source& src, const std::string& element, const std::string& text)
{
    const std::optional<ParsedTime> parsed = parseFhirTime(text);
    check<FormatError>(parsed.has_value(), src.read.file + ": " + src.label + ": " + element + " '" + text
                                               + "' is not a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)");
    if (parsed->withoutOffset)
        src.read.report.warn("a time with hours but no UTC offset, read as UTC", src.label + ": " + element + " " + text);
    return parsed->time;
}

/// The time, and for a Period its end, of the first of `elements` present ("onsetDateTime",
/// "effectivePeriod", ...); a Period counts when it has a start.
struct Found {
    std::optional<EventTime> time, end;
};

Found firstTime(const Source& src, std::initializer_list<const char*> elements)
{
    for (const char* name : elements) {
        const Json* value = member(src.resource, name);
        if (value == nullptr)
            continue;
        if (value->is_string())
            return {parseTime(src, name, value->get<std::string>()), std::nullopt};
        const std::string start = stringAt(*value, "start");
        if (start.empty())
            continue;
        Found found{parseTime(src, std::string(name) + ".start", start), std::nullopt};
        if (const std::string end = stringAt(*value, "end"); !end.empty())
            found.end = parseTime(src, std::string(name) + ".end", end);
        return found;
    }
    return {};
}

/// The key of the resource's subject (or patient) reference; "" when it has none.
std::string subjectKey(const Source& src)
{
    for (const char* name : {"subject", "patient"})
        if (const Json* subject = member(src.resource, name))
            if (const std::string ref = stringAt(*subject, "reference"); !ref.empty())
                return referenceKey(ref);
    return {};
}

/// Adds one event of the resource; its subject is resolved later.
Event& addEvent(const Source& src, const std::string& subject, EventTime time, const Code& code)
{
    Event e;
    e.time = time;
    e.code = code.code;
    e.display = code.display;
    e.resource = src.type;
    src.read.table.events.push_back(std::move(e));
    src.read.subjectKeys.push_back(subject);
    return src.read.table.events.back();
}

/// The code of a CodeableConcept; without a coding, its text as TEXT//text (a warning).
std::optional<Code> codeOf(const Source& src, const Json* codeable)
{
    if (codeable == nullptr)
        return std::nullopt;
    if (std::optional<Code> code = conceptCode(*codeable))
        return code;
    const std::string text = stringAt(*codeable, "text");
    if (text.empty())
        return std::nullopt;
    src.read.report.warn("a code with text but no coding, kept as TEXT//<text>", src.label + ": " + text);
    return Code{"TEXT//" + text, text};
}

/// One event at the first time element present, with `code`; nothing (and a warning) without a
/// subject, a time or a code.
Event* addCoded(const Source& src, std::initializer_list<const char*> timeElements, const std::optional<Code>& code)
{
    const std::string subject = subjectKey(src);
    if (subject.empty()) {
        src.read.report.warn("no subject or patient reference, skipped", src.label);
        return nullptr;
    }
    const Found when = firstTime(src, timeElements);
    if (!when.time) {
        src.read.report.warn(src.type + " with no time, skipped", src.label);
        return nullptr;
    }
    if (!code) {
        src.read.report.warn(src.type + " with no code, skipped", src.label);
        return nullptr;
    }
    Event& e = addEvent(src, subject, *when.time, *code);
    e.end = when.end;
    return &e;
}

/// A Patient's subject id: its id, else the id of its fullUrl, else its first identifier's value,
/// else where it is in the input (so a patient written without an id keeps its own events).
std::string patientName(const Source& src, const std::string& fullUrl, const std::string& where)
{
    if (std::string id = stringAt(src.resource, "id"); !id.empty())
        return id;
    std::string name = referenceId(fullUrl);
    if (const Json* ids = member(src.resource, "identifier"); name.empty() && ids && ids->is_array() && !ids->empty())
        name = stringAt((*ids)[0], "value");
    if (name.empty())
        name = src.read.file + " " + where;
    src.read.report.warn("a Patient with no id, named by its fullUrl, identifier or place", name);
    return name;
}

void readPatient(const Source& src, const std::string& fullUrl, const std::string& where)
{
    const std::string id = patientName(src, fullUrl, where);
    const std::string key = "Patient/" + id;
    src.read.patients[key] = id;
    if (!fullUrl.empty())
        src.read.patients[fullUrl] = id;
    if (const std::string birth = stringAt(src.resource, "birthDate"); !birth.empty())
        addEvent(src, key, parseTime(src, "birthDate", birth), {"MEDS_BIRTH", "Birth"});
    if (const std::string death = stringAt(src.resource, "deceasedDateTime"); !death.empty())
        addEvent(src, key, parseTime(src, "deceasedDateTime", death), {"MEDS_DEATH", "Death"});
    else if (const Json* deceased = member(src.resource, "deceasedBoolean"); deceased && deceased->is_boolean() && deceased->get<bool>())
        src.read.report.warn("deceased with no date, no MEDS_DEATH event", src.label);
    if (const std::string gender = stringAt(src.resource, "gender"); !gender.empty()) {
        Event e;
        e.code = "GENDER//" + gender;
        e.display = gender;
        e.resource = src.type;
        src.read.table.events.push_back(std::move(e));
        src.read.subjectKeys.push_back(key);
    }
}

/// An encounter's code is its first type, else its class (a Coding in R4).
void readEncounter(const Source& src)
{
    std::optional<Code> code;
    if (const Json* types = member(src.resource, "type"); types && types->is_array() && !types->empty())
        code = codeOf(src, &(*types)[0]);
    if (const Json* cls = member(src.resource, "class"); !code && cls)
        code = codingCode(*cls);
    addCoded(src, {"period"}, code);
}

/// The code of a Medication contained in the resource and referred to as "#id".
std::optional<Code> containedMedication(const Json& resource, const std::string& ref)
{
    if (const Json* contained = member(resource, "contained"); contained && contained->is_array())
        for (const Json& c : *contained)
            if ("#" + stringAt(c, "id") == ref && stringAt(c, "resourceType") == "Medication")
                if (const Json* code = member(c, "code"))
                    return conceptCode(*code);
    return std::nullopt;
}

/// A medication's code: medicationCodeableConcept, or the Medication a medicationReference names
/// (contained, or resolved after the whole input is read).
void readMedication(const Source& src, std::initializer_list<const char*> timeElements)
{
    const Json* reference = member(src.resource, "medicationReference");
    if (reference == nullptr || member(src.resource, "medicationCodeableConcept")) {
        addCoded(src, timeElements, codeOf(src, member(src.resource, "medicationCodeableConcept")));
        return;
    }
    const std::string ref = stringAt(*reference, "reference");
    const std::string display = stringAt(*reference, "display");
    const bool contained = !ref.empty() && ref[0] == '#';
    std::optional<Code> code = contained ? containedMedication(src.resource, ref) : std::nullopt;
    const bool known = code.has_value();
    if (!known)
        code = Code{"MEDICATION//" + display, display};
    if (addCoded(src, timeElements, code) != nullptr && !known)
        src.read.medications.push_back({src.read.table.events.size() - 1, contained ? std::string{} : referenceKey(ref), display});
}

/// numeric_value and unit, or text_value, from an element's value[x].
void readValue(const Json& holder, Event& e)
{
    if (const Json* q = member(holder, "valueQuantity"); q && member(*q, "value") && member(*q, "value")->is_number()) {
        e.numeric = member(*q, "value")->get<double>();
        e.unit = stringAt(*q, "unit").empty() ? stringAt(*q, "code") : stringAt(*q, "unit");
    } else if (const Json* c = member(holder, "valueCodeableConcept")) {
        const std::optional<Code> code = conceptCode(*c);
        e.text = code ? (code->display.empty() ? code->code : code->display) : stringAt(*c, "text");
    } else if (const Json* s = member(holder, "valueString"); s && s->is_string()) {
        e.text = s->get<std::string>();
    } else if (const Json* i = member(holder, "valueInteger"); i && i->is_number()) {
        e.numeric = i->get<double>();
    } else if (const Json* b = member(holder, "valueBoolean"); b && b->is_boolean()) {
        e.text = b->get<bool>() ? "true" : "false";
    }
}

/// One event per component (blood pressure: systolic and diastolic), and one for the observation
/// unless it has components and no value of its own.
void readObservation(const Source& src)
{
    const std::initializer_list<const char*> times{"effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued"};
    const Json* components = member(src.resource, "component");
    const bool split = components && components->is_array() && !components->empty();
    Event* e = nullptr;
    const bool ownValue = member(src.resource, "valueQuantity") || member(src.resource, "valueCodeableConcept")
                       || member(src.resource, "valueString") || member(src.resource, "valueInteger")
                       || member(src.resource, "valueBoolean");
    if (!split || ownValue)
        if ((e = addCoded(src, times, codeOf(src, member(src.resource, "code")))))
            readValue(src.resource, *e);
    if (!split)
        return;
    for (const Json& component : *components)
        if ((e = addCoded(src, times, codeOf(src, member(component, "code")))))
            readValue(component, *e);
}

using Reader = std::function<void(const Source&)>;

const std::map<std::string, Reader>& readers()
{
    static const std::map<std::string, Reader> table{
        {"Encounter", readEncounter},
        {"Condition", [](const Source& s) { addCoded(s, {"onsetDateTime", "onsetPeriod", "recordedDate"}, codeOf(s, member(s.resource, "code"))); }},
        {"MedicationRequest", [](const Source& s) { readMedication(s, {"authoredOn"}); }},
        {"MedicationStatement", [](const Source& s) { readMedication(s, {"effectiveDateTime", "effectivePeriod"}); }},
        {"MedicationAdministration", [](const Source& s) { readMedication(s, {"effectiveDateTime", "effectivePeriod"}); }},
        {"Observation", readObservation},
        {"Procedure", [](const Source& s) { addCoded(s, {"performedDateTime", "performedPeriod"}, codeOf(s, member(s.resource, "code"))); }},
        {"Immunization", [](const Source& s) { addCoded(s, {"occurrenceDateTime"}, codeOf(s, member(s.resource, "vaccineCode"))); }},
        {"DiagnosticReport", [](const Source& s) { addCoded(s, {"effectiveDateTime", "effectivePeriod", "issued"}, codeOf(s, member(s.resource, "code"))); }},
    };
    return table;
}

void readMedicationResource(const Source& src, const std::string& fullUrl)
{
    const Json* codeable = member(src.resource, "code");
    const std::optional<Code> code = codeable ? conceptCode(*codeable) : std::nullopt;
    if (!code)
        return;
    if (const std::string id = stringAt(src.resource, "id"); !id.empty())
        src.read.medicationCodes["Medication/" + id] = *code;
    if (!fullUrl.empty())
        src.read.medicationCodes[fullUrl] = *code;
}

} // namespace

void readResource(const Json& resource, const std::string& fullUrl, const std::string& where, FhirRead& read)
{
    const std::string type = stringAt(resource, "resourceType");
    if (type.empty()) {
        read.report.warn("no resourceType, skipped", where);
        return;
    }
    ++read.report.resources;
    const std::string id = stringAt(resource, "id");
    const Source src{resource, type, id.empty() ? type + " (" + where + ")" : type + "/" + id, read};
    if (type == "Bundle") {
        const Json* entries = member(resource, "entry");
        if (entries == nullptr || !entries->is_array())
            return;
        for (std::size_t i = 0; i < entries->size(); ++i) {
            const Json& entry = (*entries)[i];
            const std::string entryWhere = where + ", entry " + std::to_string(i + 1);
            if (!member(entry, "resource"))
                read.report.warn("a Bundle entry with no resource, skipped", entryWhere);
            else
                readResource(entry["resource"], stringAt(entry, "fullUrl"), entryWhere, read);
        }
        return;
    }
    if (type == "Patient")
        return readPatient(src, fullUrl, where);
    if (type == "Medication") {
        readMedicationResource(src, fullUrl);
        ++read.report.ignoredTypes[type];
        return;
    }
    const auto reader = readers().find(type);
    if (reader == readers().end()) {
        ++read.report.ignoredTypes[type];
        return;
    }
    reader->second(src);
}

} // namespace attn::fhir
