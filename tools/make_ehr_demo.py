#!/usr/bin/env python3
"""Puts the EHR demo into resources/: the model trained by tools/train_ehr.py (config.json,
model.safetensors, metrics.json) as resources/models/ehr_alert, and one held-out patient's FHIR
bundle as resources/data/ehr_demo/: of the held-out "alert" patients whose high INR came a year or
more after the warfarin, the one the model scores highest (a demo should show the planted pattern;
the held-out metrics in metrics.json say how often the model finds it).

    /usr/bin/python3 tools/make_ehr_demo.py --cohort DIR --model MODEL_DIR [--resources resources]
"""
import argparse
import json
import pathlib
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ehr_model as em  # noqa: E402
import train_ehr  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cohort", type=pathlib.Path, required=True)
    ap.add_argument("--model", type=pathlib.Path, required=True)
    ap.add_argument("--resources", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent / "resources")
    args = ap.parse_args()
    events, labels = train_ehr.read_cohort(args.cohort)
    config = json.loads((args.model / "config.json").read_text())
    model = em.EhrReference(config)
    model.load_state_dict(em.read_state(args.model))
    model.eval()
    candidates = [s for s, r in labels.items() if r["split"] == "held_out" and r["group"] == "alert" and float(r["gap_days"]) >= 365]
    scores = train_ehr.scores(model, config, candidates, events, labels)
    chosen = max(candidates, key=lambda s: scores[s])
    print(f"{len(candidates)} held-out alert patients with a gap of a year or more; chose {chosen}: "
          f"P(alert) {scores[chosen]:.3f}, gap {labels[chosen]['gap_days']} days")
    models = args.resources / "models" / "ehr_alert"
    models.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "model.safetensors", "metrics.json"):
        shutil.copy(args.model / name, models / name)
    data = args.resources / "data" / "ehr_demo"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    shutil.copy(args.cohort / "fhir" / f"{chosen}.json", data / f"{chosen}.json")


if __name__ == "__main__":
    main()
