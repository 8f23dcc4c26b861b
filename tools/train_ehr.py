#!/usr/bin/env python3
"""Trains the demo ehr_encoder on a cohort of tools/make_ehr_cohort.py and measures it.

Reads COHORT/meds/data/*.csv and COHORT/labels.csv. The vocabulary and value_stats come from the
train split; the epoch is chosen by the tuning split's AUROC; everything reported is on held_out:
  - AUROC and AUPRC (with the prevalence), 95 % CIs from 1,000 subject-level bootstrap resamples;
  - per head, retrieval on the alert patients: with the query at the high INR event, is the
    strongest earlier key the warfarin event (Hit@1), its mean rank and reciprocal rank, against
    chance 1/n (n: the events before the INR); the head is chosen on tuning and reported on
    held_out, by time-gap bin;
  - the same model trained with each patient's event times shuffled among its events, as a control.
Writes the model directory (config.json, model.safetensors) and metrics.json.
    /usr/bin/python3 tools/train_ehr.py --cohort DIR --out MODEL_DIR [--epochs 12] [--seed 1]
"""
import argparse
import csv
import datetime as dt
import json
import math
import os
import pathlib
import random
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ehr_model as em  # noqa: E402

WARFARIN, INR = "RXNORM/855332", "LOINC/6301-6"
GAP_BINS = [(30, 180), (180, 365), (365, 700)]


def seconds(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


def read_cohort(root):
    events = {}
    for path in sorted((root / "meds" / "data").glob("*.csv")):
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                events.setdefault(r["subject_id"], []).append(
                    {"time": seconds(r["time"]), "code": r["code"], "numeric": float(r["numeric_value"]) if r["numeric_value"] else None})
    with open(root / "labels.csv", newline="") as f:
        labels = {r["subject_id"]: r for r in csv.DictReader(f)}
    return events, labels


def make_config(events, labels, args):
    train = [s for s in labels if labels[s]["split"] == "train"]
    codes = sorted({e["code"] for s in train for e in events[s] if e["time"] is not None})
    values = {}
    for s in train:
        for e in events[s]:
            if e["numeric"] is not None:
                values.setdefault(e["code"], []).append(e["numeric"])
    stats = {c: [float(np.mean(v)), float(np.std(v)) or 1.0] for c, v in values.items() if len(v) > 1}
    return em.make_ehr_config(codes, args.d_model, args.heads, args.layers, 2 * args.d_model, ["no alert", "alert"],
                              cve_hidden=args.cve_hidden, time_scale_days=args.time_scale_days, max_events=args.max_events, value_stats=stats)


def shuffled_times(events, rng):
    times = [e["time"] for e in events if e["time"] is not None]
    rng.shuffle(times)
    it = iter(times)
    return [dict(e, time=next(it)) if e["time"] is not None else e for e in events]


def batches(config, subjects, events, labels, size, rng=None):
    order = list(subjects)
    if rng:
        rng.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [em.tokenize(config, events[s])[:4] for s in order[i:i + size]]
        t_max = max(len(c[0]) for c in chunk)
        out = [np.zeros((len(chunk), t_max), dtype) for dtype in (np.int64, np.float32, np.float32, np.float32)]
        pad = np.ones((len(chunk), t_max), bool)
        for j, c in enumerate(chunk):
            for a, v in zip(out, c):
                a[j, :len(v)] = v
            pad[j, :len(c[0])] = False
        y = torch.tensor([int(labels[s]["label"]) for s in order[i:i + size]])
        yield [torch.from_numpy(a) for a in out], torch.from_numpy(pad), y, order[i:i + size]


def scores(model, config, subjects, events, labels):
    model.eval()
    out = {}
    with torch.no_grad():
        for x, pad, _, names in batches(config, subjects, events, labels, 64):
            p = torch.softmax(model(*x, padding=pad), -1)[:, 1]
            out.update(zip(names, p.tolist()))
    return out


def auroc(y, p):
    y, p = np.asarray(y), np.asarray(p)
    pos, neg = p[y == 1], p[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    return float(((pos[:, None] > neg[None]).sum() + 0.5 * (pos[:, None] == neg[None]).sum()) / (len(pos) * len(neg)))


def auprc(y, p):
    order = np.argsort(-np.asarray(p), kind="stable")
    y = np.asarray(y)[order]
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    return float((precision * y).sum() / max(1, y.sum()))


def with_ci(metric, y, p, rng, n=1000):
    y, p = np.asarray(y), np.asarray(p)
    draws = []
    for _ in range(n):
        i = rng.integers(0, len(y), len(y))
        draws.append(metric(y[i], p[i]))
    draws = [d for d in draws if not math.isnan(d)]
    return {"value": metric(y, p), "ci95": [float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5))]}


def step_bank_(linear, span):
    """Initialises the time CVE's first Linear(1, k) as k soft steps tanh(w (t - c)) with centres c
    spread evenly over [0, span] (in t's units) and widths of one to four centre spacings, so that
    t is resolved over the whole record instead of saturating after its first years."""
    k = linear.weight.shape[0]
    with torch.no_grad():
        spacing = span / k
        w = 1.0 / (spacing * (1 + 3 * torch.rand(k)))
        c = (torch.arange(k) + 0.5) * spacing
        linear.weight.copy_(w[:, None])
        linear.bias.copy_(-w * c)


def train(config, events, labels, args, seed):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = em.EhrReference(config)
    if args.time_steps:
        step_bank_(model.time_cve[0], args.time_steps)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    split = {k: [s for s in labels if labels[s]["split"] == k] for k in ("train", "tuning", "held_out")}
    best, best_state = -1.0, None
    for epoch in range(args.epochs):
        model.train()
        for x, pad, y, _ in batches(config, split["train"], events, labels, 32, rng):
            loss = torch.nn.functional.cross_entropy(model(*x, padding=pad), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        p = scores(model, config, split["tuning"], events, labels)
        a = auroc([int(labels[s]["label"]) for s in split["tuning"]], [p[s] for s in split["tuning"]])
        print(f"  epoch {epoch + 1}: loss {loss.item():.3f}, tuning AUROC {a:.3f}", flush=True)
        if a > best:
            best, best_state = a, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return model.eval(), best


def retrieval(model, config, subjects, events, labels):
    """Per (layer, head): for each alert patient, the warfarin event's rank among the keys before
    the high INR event, by that head's attention from the INR token; and n, the keys there."""
    ranks = {}
    for s in subjects:
        if labels[s]["group"] != "alert":
            continue
        ids, t, z, m, _ = em.tokenize(config, events[s])
        timed = sorted((e for e in events[s] if e["time"] is not None), key=lambda e: e["time"])[-config["max_events"]:]
        w_time, i_time = seconds(labels[s]["warfarin_time"]), seconds(labels[s]["inr_time"])
        w = 1 + next((i for i, e in enumerate(timed) if e["code"] == WARFARIN and e["time"] == w_time), -2)
        q = 1 + next((i for i, e in enumerate(timed) if e["code"] == INR and e["time"] == i_time), -2)
        if w <= 0 or q <= 0:
            continue  # cut off by max_events
        with torch.no_grad():
            _, _, attentions = model.forward_recorded(*em.as_batch(ids, t, z, m))
        for layer, a in enumerate(attentions):
            for head in range(a.shape[0]):
                keys = a[head, q, 1:q]  # the events before the INR ([CLS] left out)
                rank = 1 + int((keys > keys[w - 1]).sum())
                ranks.setdefault((layer, head), []).append((rank, q - 1, float(labels[s]["gap_days"])))
    return ranks


def summarise(rows):
    if not rows:
        return {"patients": 0}
    r = np.array([x[0] for x in rows], float)
    n = np.array([x[1] for x in rows], float)
    return {"patients": len(rows), "hit_at_1": float((r == 1).mean()), "mean_rank": float(r.mean()),
            "mrr": float((1 / r).mean()), "chance_hit_at_1": float((1 / n).mean()), "mean_keys": float(n.mean())}


def report(model, config, events, labels, seed):
    split = {k: [s for s in labels if labels[s]["split"] == k] for k in ("tuning", "held_out")}
    held = split["held_out"]
    p = scores(model, config, held, events, labels)
    y = [int(labels[s]["label"]) for s in held]
    rng = np.random.default_rng(seed)
    metrics = {"held_out_patients": len(held), "prevalence": float(np.mean(y)),
               "auroc": with_ci(auroc, y, [p[s] for s in held], rng), "auprc": with_ci(auprc, y, [p[s] for s in held], rng)}
    tuning = retrieval(model, config, split["tuning"], events, labels)
    head = max(tuning, key=lambda k: summarise(tuning[k])["hit_at_1"])
    held_ranks = retrieval(model, config, held, events, labels)[head]
    metrics["retrieval"] = {"head": {"layer": head[0], "head": head[1]}, "tuning": summarise(tuning[head]),
                            "held_out": summarise(held_ranks),
                            "held_out_by_gap_days": {f"{a}-{b}": summarise([x for x in held_ranks if a <= x[2] < b]) for a, b in GAP_BINS},
                            "every_head_tuning_hit_at_1": {f"{l},{h}": summarise(v)["hit_at_1"] for (l, h), v in sorted(tuning.items())}}
    return metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cohort", type=pathlib.Path, required=True)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--d-model", type=int, default=32)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--max-events", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--cve-hidden", type=int, default=16)
    ap.add_argument("--time-steps", type=float, default=0,
                    help="initialise the time CVE as soft steps spread over [0, this many t units] (0: PyTorch's default)")
    ap.add_argument("--time-scale-days", type=float, default=365.25,
                    help="t's unit: records start at birth, so t reaches 80 or more in years, where tanh saturates")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    events, labels = read_cohort(args.cohort)
    config = make_config(events, labels, args)
    print(f"{len(events)} patients, {len(config['codes'])} codes")
    model, _ = train(config, events, labels, args, args.seed)
    metrics = report(model, config, events, labels, args.seed)
    rng = random.Random(args.seed)
    shuffled = {s: shuffled_times(e, rng) for s, e in events.items()}
    print("control: times shuffled within each patient")
    control, _ = train(config, shuffled, labels, args, args.seed)
    held = [s for s in labels if labels[s]["split"] == "held_out"]
    p = scores(control, config, held, shuffled, labels)
    y = [int(labels[s]["label"]) for s in held]
    rng_np = np.random.default_rng(args.seed)
    metrics["shuffled_times_control"] = {"auroc": with_ci(auroc, y, [p[s] for s in held], rng_np),
                                         "auprc": with_ci(auprc, y, [p[s] for s in held], rng_np)}
    em.export_ehr(model, args.out)
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps({k: metrics[k] for k in ("prevalence", "auroc", "auprc", "shuffled_times_control")}, indent=1))
    print(json.dumps(metrics["retrieval"]["held_out"], indent=1))


if __name__ == "__main__":
    main()
