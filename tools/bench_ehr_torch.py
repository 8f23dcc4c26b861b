#!/usr/bin/env python3
"""Python / PyTorch side of the patient-record benchmark (tools/bench_ehr.sh). Each mode prints one
JSON line, timed as `attnscope-bench` times its side (a cold run apart, then the best of the rest):

    --load-ndjson DIR        a bulk FHIR NDJSON export read into events: every line through Python's
                             json, resources grouped by their Patient reference, each patient's events
                             by the rules of tools/make_fhir_expected.py (the independent reading the
                             readers' tests check against), sorted
    --meds-csv DIR           the same cohort as MEDS: list its subjects, then load the middle one.
                             Debian 12's Python has no Parquet reader (no pyarrow, pandas or duckdb
                             module), so the reference reads the MEDS CSV with the csv module
    --export DIR --codes FILE     random weights of the benchmark model (4 layers, 128 wide, 8 heads)
    --model DIR --input CSV  the ehr_encoder of tools/ehr_model.py on a patient's MEDS CSV: tokens,
                             the forward pass with every head's attention kept (each layer's
                             attention computed once, with need_weights, and its output used, as
                             attnscope does), logits. Batch 1, float32, --threads T.
Run with Debian's PyTorch: /usr/bin/python3."""
import argparse
import collections
import csv
import json
import os
import pathlib
import resource
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402
import ehr_model as em  # noqa: E402
import make_fhir_expected as fx  # noqa: E402
import train_ehr  # noqa: E402
from bench_torch import timed_runs  # noqa: E402


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_ndjson(folder):
    by_patient = collections.defaultdict(list)
    patients = {}
    for path in sorted(pathlib.Path(folder).glob("*.ndjson")):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if r["resourceType"] == "Patient":
                        patients[r["id"]] = r
                    else:
                        ref = r.get("subject", r.get("patient", {})).get("reference", "")
                        by_patient[ref.split("/")[-1]].append(r)
    rows = []
    for pid, patient in patients.items():
        bundle = {"entry": [{"resource": patient}] + [{"resource": r} for r in by_patient[pid]]}
        rows.extend(fx.events(bundle)[0])
    return rows, len(patients)


def meds_list_and_load(folder):
    files = sorted((pathlib.Path(folder) / "data").rglob("*.csv"))
    subjects = []
    seen = set()
    for path in files:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r["subject_id"] not in seen:
                    seen.add(r["subject_id"])
                    subjects.append(r["subject_id"])
    chosen = subjects[len(subjects) // 2]
    events = []
    for path in files:
        with open(path, newline="") as f:
            events.extend({"time": train_ehr.seconds(r["time"]), "code": r["code"],
                           "numeric": float(r["numeric_value"]) if r["numeric_value"] else None}
                          for r in csv.DictReader(f) if r["subject_id"] == chosen)
    events.sort(key=lambda e: (e["time"] is not None, e["time"] or 0))
    return len(subjects), chosen, len(events)


def recorded_forward(model, ids, t, z, m):
    """One patient: every layer's attention [H, T, T] kept, computed once per layer."""
    h = model.embed(ids, t, z, m)
    attentions = []
    for layer in model.encoder.layers:
        def attend(x):
            out, w = layer.self_attn(x, x, x, need_weights=True, average_attn_weights=False)
            attentions.append(w[0])
            return out
        ff = lambda x: layer.linear2(layer.activation(layer.linear1(x)))  # noqa: E731
        if layer.norm_first:
            h = h + attend(layer.norm1(h))
            h = h + ff(layer.norm2(h))
        else:
            h = layer.norm1(h + attend(h))
            h = layer.norm2(h + ff(h))
    if model.encoder.norm is not None:
        h = model.encoder.norm(h)
    return model.classifier(h[:, 0]), attentions


def read_patient(path):
    with open(path, newline="") as f:
        return [{"time": train_ehr.seconds(r["time"]), "code": r["code"],
                 "numeric": float(r["numeric_value"]) if r["numeric_value"] else None} for r in csv.DictReader(f)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--load-ndjson")
    ap.add_argument("--meds-csv")
    ap.add_argument("--export")
    ap.add_argument("--codes", help="with --export: a MEDS CSV whose codes make the vocabulary")
    ap.add_argument("--model")
    ap.add_argument("--input")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.load_ndjson:
        cold, best, (rows, patients) = timed_runs(lambda: load_ndjson(args.load_ndjson), args.repeats)
        out = {"task": "load_record", "events": len(rows), "subjects": patients}
    elif args.meds_csv:
        cold, best, (subjects, chosen, events) = timed_runs(lambda: meds_list_and_load(args.meds_csv), args.repeats)
        out = {"task": "meds_list_load_one", "subjects": subjects, "subject": chosen, "events": events, "reads": "MEDS CSV"}
    elif args.export:
        codes = sorted({e["code"] for e in read_patient(args.codes) if e["time"] is not None})
        torch.manual_seed(0)
        config = em.make_ehr_config(codes, 128, 8, 4, 512, ["no alert", "alert"], cve_hidden=32, time_scale_days=36525,
                                    max_events=4096, value_stats={"LOINC/6301-6": [1.8, 0.9]})
        model = em.EhrReference(config)
        ax.perturb_(model, seed=0)
        em.export_ehr(model, args.export)
        return
    else:
        config = json.loads((pathlib.Path(args.model) / "config.json").read_text())
        model = em.EhrReference(config)
        model.load_state_dict(em.read_state(args.model))
        model.eval()
        events = read_patient(args.input)

        def run():
            with torch.no_grad():
                ids, t, z, m, _ = em.tokenize(config, events)
                logits, attentions = recorded_forward(model, *em.as_batch(ids, t, z, m))
                return logits, attentions, len(ids)
        cold, best, (logits, attentions, tokens) = timed_runs(run, args.repeats)
        out = {"task": "ehr_forward", "tokens": tokens, "layers": len(attentions), "heads": attentions[0].shape[0],
               "d_model": config["d_model"], "store": "f32", "threads": args.threads, "logit0": float(logits[0, 0])}
    out.update({"impl": "pytorch" if out["task"] == "ehr_forward" else "python", "seconds": best,
                "cold_seconds": cold, "peak_rss_mb": peak_mb()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
