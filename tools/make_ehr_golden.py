#!/usr/bin/env python3
"""Writes tests/data/golden/ehr and ehr_postln: small random `ehr_encoder` models (tools/ehr_model.py,
PyTorch's own nn.Embedding, nn.Linear, nn.Tanh and nn.TransformerEncoder), a patient's events as a
MEDS CSV, and what PyTorch gives on them: the tokens (ids, t, z, m), logits, the final hidden
states and every layer's per-head attention. Read by tests/core/TestEhrModel.cpp; the tests never
need PyTorch.

    /usr/bin/python3 tools/make_ehr_golden.py [OUT_DIR]     (default tests/data/golden)

The events hold what the tokenisation rules are about: static rows (not tokens), a tie (input
order kept), a code not in the vocabulary ([UNK]), numbers with and without value_stats, a text
value, a month-precision date (its first day), and in `ehr` more events than max_events (the
earliest left out)."""
import calendar
import csv
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402
import ehr_model  # noqa: E402

DAY = 86400
WARFARIN, INR, HR, GLUCOSE = "RXNORM/855332", "LOINC/6301-6", "LOINC/8867-4", "LOINC/2339-0"
CODES = [WARFARIN, INR, HR, "SNOMED/44054006", "SNOMED/185349003", "MEDS_BIRTH"]


def seconds(y, m, d, hh=0, mm=0, ss=0):
    return calendar.timegm((y, m, d, hh, mm, ss, 0, 0, 0))


def iso(s):
    return np.datetime_as_string(np.datetime64(s, "s")) + "Z"


def patient_events():
    """(time seconds or None, code, numeric or None, text, the CSV's time text), in input order."""
    t0 = seconds(2011, 5, 3, 8, 30)
    rows = [(None, "GENDER//F", None, "", ""), (seconds(1950, 2, 1), "MEDS_BIRTH", None, "", "1950-02-01")]
    rows.append((seconds(2019, 3, 1), "SNOMED/44054006", None, "", "2019-03"))  # a month: its first day
    for i, (days, code, value, text) in enumerate([
            (0, "SNOMED/185349003", None, ""), (0, WARFARIN, None, ""), (0, INR, 1.1, ""),  # a three-way tie
            (14, INR, 2.4, ""), (30, HR, 71.0, ""), (30.5, "SNOMED/999999999", None, ""),  # unknown code
            (61, GLUCOSE, 5.4, ""),  # a number without value_stats
            (95, INR, 3.7, ""), (120, "LOINC/72166-2", None, "Never smoker"), (400, HR, 88.0, ""),
            (512, INR, 4.2, ""), (900.25, HR, 64.0, ""), (1200, WARFARIN, None, ""), (1500, INR, 2.0, "")]):
        s = t0 + int(days * DAY)
        rows.append((s, code, value, text, iso(s)))
    return rows


def write_events(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject_id", "time", "code", "numeric_value", "text_value"])
        for s, code, value, text, written in rows:
            w.writerow(["7", written, code, "" if value is None else repr(value), text])


def case(out, name, seed, max_events, **arch):
    torch.manual_seed(seed)
    config = ehr_model.make_ehr_config(CODES, 16, 4, arch.pop("n_layers"), 32, ["no alert", "alert"], cve_hidden=8,
                                       max_events=max_events, value_stats={INR: [1.8, 0.9], HR: [75.0, 12.5]}, **arch)
    model = ehr_model.EhrReference(config)
    ax.perturb_(model, seed=seed)
    model.eval()
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "expected"), exist_ok=True)
    ehr_model.export_ehr(model, d)
    rows = patient_events()
    write_events(os.path.join(d, "events.csv"), rows)
    events = [{"time": s, "code": code, "numeric": value} for s, code, value, _, _ in rows]
    ids, t, z, m, dropped = ehr_model.tokenize(config, events)
    tokens = np.stack([ids.astype(np.float32), t.astype(np.float32), z.astype(np.float32), m.astype(np.float32)])
    np.save(os.path.join(d, "expected/tokens.npy"), tokens)
    logits, hidden, attentions = model.forward_recorded(*ehr_model.as_batch(ids, t, z, m))
    np.save(os.path.join(d, "expected/logits.npy"), logits)
    np.save(os.path.join(d, "expected/hidden.npy"), hidden)
    for i, a in enumerate(attentions):
        np.save(os.path.join(d, f"expected/attention_layer_{i:02d}.npy"), np.ascontiguousarray(a, dtype=np.float32))
    print(f"{name}: {len(ids)} tokens, {dropped} events left out")


def main(out):
    torch.set_num_threads(1)
    case(out, "ehr", 11, 12, n_layers=2, activation="gelu", norm_first=True, final_norm=True, layer_norm_eps=1e-6)
    case(out, "ehr_postln", 12, 64, n_layers=1, activation="relu", norm_first=False, final_norm=False)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests/data/golden"))
