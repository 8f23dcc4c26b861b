#!/usr/bin/env python3
"""Writes tests/data/fhir/expected.json: the events of the Synthea bundle as read independently,
with Python's own json and datetime (not attnscope's rules in C++), for TestEhrReaders.

Rules (the issue's): one event per Encounter (period.start, end in `end`, code from type[0]),
Condition (onsetDateTime, else recordedDate), MedicationRequest (authoredOn), Observation
(effectiveDateTime, else issued; one event per component), Procedure (performedDateTime or
performedPeriod.start), Immunization (occurrenceDateTime), DiagnosticReport (effectiveDateTime);
Patient gives MEDS_BIRTH, MEDS_DEATH and a static GENDER//... row. Times are UTC.
    python3 tools/make_fhir_expected.py
"""
import datetime
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "fhir"
SYSTEMS = {"http://snomed.info/sct": "SNOMED", "http://www.nlm.nih.gov/research/umls/rxnorm": "RXNORM",
           "http://loinc.org": "LOINC", "http://hl7.org/fhir/sid/cvx": "CVX", "http://hl7.org/fhir/sid/icd-10-cm": "ICD10CM"}


def utc(text):
    if len(text) == 10:
        return text + "T00:00:00Z", "day"
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ"), "second"


def code(concept):
    c = concept["coding"][0]
    s = c.get("system", "")
    return SYSTEMS[s] + "/" + c["code"] if s in SYSTEMS else s + "|" + c["code"]


def value(holder):
    if "valueQuantity" in holder:
        q = holder["valueQuantity"]
        return q["value"], q.get("unit", q.get("code", "")), ""
    if "valueCodeableConcept" in holder:
        c = holder["valueCodeableConcept"]
        return None, "", c["coding"][0].get("display") or c.get("text", "")
    if "valueString" in holder:
        return None, "", holder["valueString"]
    return None, "", ""


def events(bundle):
    out, ignored, patient = [], {}, None
    for entry in bundle["entry"]:
        r = entry["resource"]
        t = r["resourceType"]
        if t == "Patient":
            patient = r["id"]
            out.append([None, "GENDER//" + r["gender"], None, "", "", "", t])
            out.append([utc(r["birthDate"]), "MEDS_BIRTH", None, "", "", "", t])
            if "deceasedDateTime" in r:
                out.append([utc(r["deceasedDateTime"]), "MEDS_DEATH", None, "", "", "", t])
            continue
        def add(when, concept, v=(None, "", ""), end=""):
            out.append([utc(when), code(concept), v[0], v[1], v[2], utc(end)[0] if end else "", t])
        if t == "Encounter":
            add(r["period"]["start"], r["type"][0], end=r["period"].get("end", ""))
        elif t == "Condition":
            add(r.get("onsetDateTime") or r["recordedDate"], r["code"])
        elif t == "MedicationRequest":
            add(r["authoredOn"], r["medicationCodeableConcept"])
        elif t == "Observation":
            when = r.get("effectiveDateTime") or r["issued"]
            if "component" in r:
                for c in r["component"]:
                    add(when, c["code"], value(c))
            else:
                add(when, r["code"], value(r))
        elif t == "Procedure":
            p = r.get("performedPeriod", {})
            add(r.get("performedDateTime") or p["start"], r["code"], end=p.get("end", ""))
        elif t == "Immunization":
            add(r["occurrenceDateTime"], r["vaccineCode"])
        elif t == "DiagnosticReport":
            add(r["effectiveDateTime"], r["code"])
        else:
            ignored[t] = ignored.get(t, 0) + 1
    rows = []
    for when, c, num, unit, text, end, t in out:
        rows.append({"subject": patient, "time": when[0] if when else "", "precision": when[1] if when else "",
                     "code": c, "numeric": num, "unit": unit, "text": text, "end": end, "resource": t})
    rows.sort(key=lambda e: (e["time"] != "", e["time"]))  # static first, then by time, stable
    return rows, ignored


def main():
    name = "synthea_johnnie679.json"
    rows, ignored = events(json.loads((DATA / name).read_text()))
    (DATA / "expected.json").write_text(json.dumps({name: {"events": rows, "ignored": ignored}}, indent=1) + "\n")
    print(f"{name}: {len(rows)} events, ignored {ignored}")


if __name__ == "__main__":
    main()
