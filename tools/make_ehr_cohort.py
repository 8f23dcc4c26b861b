#!/usr/bin/env python3
"""A seeded synthetic cohort for the EHR kind: FHIR R4 bundles, a bulk NDJSON export and MEDS CSV
of the same patients, with a planted warfarin -> high INR pattern.

Background: every patient's visits are drawn from the 22 encounters of the shared Synthea
bundle (tests/data/fhir/synthea_johnnie679.json), with what each of them holds (observations,
immunizations, procedures, conditions, prescriptions), the gaps between them resampled from that
record's gaps, and numeric values jittered around the recorded ones. Synthea itself has no
warfarin -> INR link (its atrial fibrillation module prescribes warfarin without INR follow-up),
so the pattern is planted, and a score on this cohort measures recovery of a planted rule, not
clinical validity.

Groups (a fifth each, seeded):
  alert             warfarin (RxNorm 855332) at day a, INR (LOINC 6301-6) > 3.0 at a + U(30, 700) days: label 1
  control_inr       a high INR and no anticoagulant: label 0
  control_warfarin  warfarin, then only normal INRs (0.9-3.0): label 0
  control_order     a high INR at a - U(30, 700) days, before the warfarin at a: label 0 (both events
                    are there, only their order differs from alert's, so a model must use time)
  plain             neither: label 0
Every group also gets 0-2 normal INR checks, so neither event alone predicts the label.
Splits by patient: train 70 %, tuning 15 %, held_out 15 %.

    python3 tools/make_ehr_cohort.py --patients 1000 --seed 1 --out DIR [--formats fhir,ndjson,meds]
    python3 tools/make_ehr_cohort.py --patients 1 --events 4096 --out DIR   (one long record, for the benchmark)

Writes DIR/fhir/<subject>.json, DIR/ndjson/<Type>.ndjson, DIR/meds/data/<split>.csv with
DIR/meds/metadata/subject_splits.csv, and DIR/labels.csv (subject_id, split, group, label,
warfarin_time, inr_time, gap_days).
"""
import argparse
import copy
import csv
import datetime as dt
import json
import pathlib
import random
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
SYNTHEA = ROOT / "tests" / "data" / "fhir" / "synthea_johnnie679.json"
RXNORM, LOINC = "http://www.nlm.nih.gov/research/umls/rxnorm", "http://loinc.org"
SYSTEMS = {"http://snomed.info/sct": "SNOMED", RXNORM: "RXNORM", LOINC: "LOINC", "http://hl7.org/fhir/sid/cvx": "CVX"}
WARFARIN = {"system": RXNORM, "code": "855332", "display": "Warfarin Sodium 5 MG Oral Tablet"}
INR = {"system": LOINC, "code": "6301-6", "display": "INR in Platelet poor plasma by Coagulation assay"}
EVENT_TYPES = ("Observation", "Immunization", "Procedure", "Condition", "MedicationRequest")


def parse_time(text):
    return dt.datetime.fromisoformat(text).astimezone(dt.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def templates():
    """The Synthea encounters, each with the resources that refer to it, and the gaps between them."""
    bundle = json.loads(SYNTHEA.read_text())
    encounters, held = {}, {}
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "Encounter":
            encounters[entry["fullUrl"]] = r
        elif r["resourceType"] in EVENT_TYPES and "encounter" in r:
            held.setdefault(r["encounter"]["reference"], []).append(r)
    order = sorted(encounters, key=lambda u: parse_time(encounters[u]["period"]["start"]))
    starts = [parse_time(encounters[u]["period"]["start"]) for u in order]
    gaps = [(b - a).total_seconds() / 86400 for a, b in zip(starts, starts[1:])]
    return [(encounters[u], held.get(u, [])) for u in order], gaps


class Record:
    """One patient's resources, built in time order."""

    def __init__(self, subject, rng):
        self.subject, self.rng, self.resources = subject, rng, []
        self.patient = {"resourceType": "Patient", "id": subject, "gender": rng.choice(["female", "male"]),
                        "birthDate": f"{rng.randint(1935, 1975)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}

    def ref(self):
        return {"reference": "Patient/" + self.subject}

    def encounter(self, start, code, cls):
        e = {"resourceType": "Encounter", "id": str(uuid.UUID(int=self.rng.getrandbits(128))), "status": "finished",
             "class": {"code": cls}, "type": [{"coding": [code]}], "subject": self.ref(),
             "period": {"start": iso(start), "end": iso(start + dt.timedelta(minutes=15))}}
        self.resources.append(e)
        return e

    def add(self, resource, encounter, when):
        r = copy.deepcopy(resource)
        r["id"] = str(uuid.UUID(int=self.rng.getrandbits(128)))
        r["subject" if r["resourceType"] != "Immunization" else "patient"] = self.ref()
        r["encounter"] = {"reference": "Encounter/" + encounter["id"]}
        for key in ("effectiveDateTime", "issued", "onsetDateTime", "recordedDate", "authoredOn", "occurrenceDateTime"):
            if key in r:
                r[key] = iso(when)
        if "performedPeriod" in r:
            r["performedPeriod"] = {"start": iso(when), "end": iso(when + dt.timedelta(minutes=15))}
        r.pop("abatementDateTime", None)
        for holder in [r] + r.get("component", []):
            if "valueQuantity" in holder:  # jittered around the recorded value
                holder["valueQuantity"]["value"] = round(holder["valueQuantity"]["value"] * self.rng.lognormvariate(0, 0.08), 2)
        self.resources.append(r)

    def warfarin(self, when):
        e = self.encounter(when, {"system": "http://snomed.info/sct", "code": "390906007", "display": "Follow-up encounter"}, "ambulatory")
        self.resources.append({"resourceType": "MedicationRequest", "id": str(uuid.UUID(int=self.rng.getrandbits(128))),
                               "status": "active", "intent": "order", "medicationCodeableConcept": {"coding": [WARFARIN]},
                               "subject": self.ref(), "encounter": {"reference": "Encounter/" + e["id"]}, "authoredOn": iso(when)})

    def inr(self, when, value):
        e = self.encounter(when, {"system": "http://snomed.info/sct", "code": "185347001", "display": "Encounter for problem"}, "ambulatory")
        self.resources.append({"resourceType": "Observation", "id": str(uuid.UUID(int=self.rng.getrandbits(128))), "status": "final",
                               "code": {"coding": [INR]}, "subject": self.ref(), "encounter": {"reference": "Encounter/" + e["id"]},
                               "effectiveDateTime": iso(when), "issued": iso(when),
                               "valueQuantity": {"value": round(value, 2), "unit": "{INR}", "system": "http://unitsofmeasure.org", "code": "{INR}"}})


def background(record, rng, visits, gaps, start, events=None):
    """Synthea encounters in order (a random rotation of its sequence), gaps resampled."""
    t, first = start, rng.randrange(len(visits))
    i = 0
    while (events is None and i < rng.randint(12, 30)) or (events is not None and count_events(record) < events - 8):
        template, held = visits[(first + i) % len(visits)]
        e = record.encounter(t, template["type"][0]["coding"][0], template["class"]["code"])
        for r in held:
            record.add(r, e, t)
        t += dt.timedelta(days=max(1.0, rng.choice(gaps) * rng.uniform(0.5, 1.5)), seconds=rng.randint(0, 36000))
        i += 1
    return t


def count_events(record):
    return sum(1 + len(r.get("component", [])) - (1 if r.get("component") else 0) for r in record.resources)


def make_patient(subject, group, rng, visits, gaps, events=None):
    record = Record(subject, rng)
    start = dt.datetime(rng.randint(2005, 2012), rng.randint(1, 12), rng.randint(1, 28), 9, tzinfo=dt.timezone.utc)
    end = background(record, rng, visits, gaps, start, events)
    span = max(800.0, (end - start).days)
    a = start + dt.timedelta(days=rng.uniform(0, span), hours=rng.randint(0, 8))  # the same for every group
    info = {"warfarin_time": "", "inr_time": "", "gap_days": ""}
    for _ in range(rng.randint(0, 2)):  # routine INR checks in every group
        record.inr(start + dt.timedelta(days=rng.uniform(0, span)), rng.uniform(0.9, 1.3))
    if group in ("alert", "control_warfarin", "control_order"):
        record.warfarin(a)
        info["warfarin_time"] = iso(a)
    if group == "alert":
        gap = rng.uniform(30, 700)
        b = a + dt.timedelta(days=gap)
        record.inr(b, rng.uniform(3.2, 6.0))
        info.update(inr_time=iso(b), gap_days=f"{gap:.2f}")
    elif group == "control_inr":
        b = start + dt.timedelta(days=rng.uniform(30, span))
        record.inr(b, rng.uniform(3.2, 6.0))
        info["inr_time"] = iso(b)
    elif group == "control_order":
        b = a - dt.timedelta(days=rng.uniform(30, 700))
        record.inr(b, rng.uniform(3.2, 6.0))
        info["inr_time"] = iso(b)
    elif group == "control_warfarin":
        for _ in range(rng.randint(1, 3)):
            record.inr(a + dt.timedelta(days=rng.uniform(30, 700)), rng.uniform(1.8, 3.0))
    return record, info


def code_of(concept):
    c = concept["coding"][0]
    s = c.get("system", "")
    return SYSTEMS[s] + "/" + c["code"] if s in SYSTEMS else s + "|" + c["code"]


def meds_rows(record):
    """The record as MEDS rows, by the rules of docs/ehr-events.md."""
    p = record.patient
    rows = [(record.subject, "", "GENDER//" + p["gender"], "", ""), (record.subject, p["birthDate"] + "T00:00:00Z", "MEDS_BIRTH", "", "")]
    for r in record.resources:
        t = r["resourceType"]
        if t == "Encounter":
            rows.append((record.subject, r["period"]["start"], code_of(r["type"][0]), "", ""))
        elif t == "Observation":
            for h in r.get("component", [r]):
                q = h.get("valueQuantity")
                text = h["valueCodeableConcept"]["coding"][0].get("display", "") if "valueCodeableConcept" in h else ""
                rows.append((record.subject, r["effectiveDateTime"], code_of(h["code"]), q["value"] if q else "", text))
        else:
            concept = {"Immunization": "vaccineCode", "MedicationRequest": "medicationCodeableConcept"}.get(t, "code")
            when = r.get("occurrenceDateTime") or r.get("authoredOn") or r.get("onsetDateTime") or r.get("performedPeriod", {}).get("start")
            rows.append((record.subject, when, code_of(r[concept]), "", ""))
    static = [x for x in rows if not x[1]]
    return static + sorted((x for x in rows if x[1]), key=lambda x: x[1])


def write(out, cohort, formats):
    if "fhir" in formats:
        (out / "fhir").mkdir(parents=True, exist_ok=True)
        for record, _, _ in cohort:
            entries = [{"fullUrl": "urn:uuid:" + record.subject, "resource": record.patient}]
            for r in record.resources:
                r = copy.deepcopy(r)
                for key in ("subject", "patient"):
                    if key in r:
                        r[key] = {"reference": "urn:uuid:" + record.subject}
                entries.append({"fullUrl": "urn:uuid:" + r["id"], "resource": r})
            (out / "fhir" / f"{record.subject}.json").write_text(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}))
    if "ndjson" in formats:
        (out / "ndjson").mkdir(parents=True, exist_ok=True)
        files = {}
        for record, _, _ in cohort:
            for r in [record.patient] + record.resources:
                files.setdefault(r["resourceType"], []).append(json.dumps(r))
        for t, lines in files.items():
            (out / "ndjson" / f"{t}.ndjson").write_text("\n".join(lines) + "\n")
    if "meds" in formats:
        (out / "meds" / "data").mkdir(parents=True, exist_ok=True)
        (out / "meds" / "metadata").mkdir(parents=True, exist_ok=True)
        for split in ("train", "tuning", "held_out"):
            with open(out / "meds" / "data" / f"{split}.csv", "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["subject_id", "time", "code", "numeric_value", "text_value"])
                for record, s, _ in cohort:
                    if s == split:
                        w.writerows(meds_rows(record))
        with open(out / "meds" / "metadata" / "subject_splits.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["subject_id", "split"])
            w.writerows((record.subject, s) for record, s, _ in cohort)
    with open(out / "labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject_id", "split", "group", "label", "warfarin_time", "inr_time", "gap_days"])
        for record, s, info in cohort:
            w.writerow([record.subject, s, info["group"], int(info["group"] == "alert"), info["warfarin_time"], info["inr_time"], info["gap_days"]])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, help="one long record of about this many events (the alert group)")
    ap.add_argument("--formats", default="fhir,ndjson,meds")
    ap.add_argument("--out", type=pathlib.Path, required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    visits, gaps = templates()
    groups = ["alert", "control_inr", "control_warfarin", "control_order", "plain"]
    cohort = []
    for i in range(args.patients):
        group = "alert" if args.events else groups[i % len(groups)]
        split = ("train", "tuning", "held_out")[0 if rng.random() < 0.70 else (1 if rng.random() < 0.5 else 2)]
        record, info = make_patient(str(100001 + i), group, rng, visits, gaps, args.events)
        info["group"] = group
        cohort.append((record, split, info))
    write(args.out, cohort, set(args.formats.split(",")))
    print(f"{args.out}: {len(cohort)} patients, {sum(count_events(r) + 2 for r, _, _ in cohort)} events")


if __name__ == "__main__":
    main()
