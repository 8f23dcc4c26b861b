#!/usr/bin/env bash
# The patient-record benchmark, one command: attnscope against the Python / PyTorch references of
# tools/bench_ehr_torch.py, side by side on the same inputs, each measurement in its own process so
# that its peak memory is its own, 2 threads:
#   - load a 1,000-patient bulk FHIR NDJSON export of tools/make_ehr_cohort.py;
#   - the same cohort as a MEDS Parquet dataset: list its subjects, then load one (the Python side
#     reads the MEDS CSV: Debian 12's Python has no Parquet reader);
#   - a 4-layer ehr_encoder (128 wide, 8 heads) on a patient with 4,096 events, every head's
#     attention kept (attnscope f16 and f32, PyTorch f32).
# Writes docs/benchmarks/ehr.json and prints the ratios (time and peak memory, attnscope / reference).
#   bash tools/bench_ehr.sh            (REPEATS=3 timed runs after a cold one; THREADS=2)
set -euo pipefail
BENCH_REPEATS=3 source "$(dirname "$0")/bench_prepare.sh"
$py tools/make_ehr_cohort.py --patients 1000 --seed 7 --out "$work/cohort" --formats ndjson,meds > /dev/null
"$bench" meds-convert "$work/cohort/meds" "$work/meds-parquet"
$py tools/bench_ehr_torch.py --load-ndjson "$work/cohort/ndjson" --repeats "$repeats" | tee -a "$results"
"$bench" ehr-load "$work/cohort/ndjson" "$repeats" | tee -a "$results"
$py tools/bench_ehr_torch.py --meds-csv "$work/cohort/meds" --repeats "$repeats" | tee -a "$results"
"$bench" meds "$work/meds-parquet" "$repeats" | tee -a "$results"
$py tools/make_ehr_cohort.py --patients 1 --seed 8 --events 4096 --out "$work/long" --formats meds > /dev/null
long="$(ls -S "$work"/long/meds/data/*.csv | head -1)" # the split that holds the one patient
$py tools/bench_ehr_torch.py --export "$work/model" --codes "$long"
$py tools/bench_ehr_torch.py --model "$work/model" --input "$long" --threads "$threads" --repeats "$repeats" | tee -a "$results"
for store in f16 f32; do
  "$bench" ehr "$work/model" "$long" "$store" "$repeats" | tee -a "$results"
done
mkdir -p docs/benchmarks
$py - "$results" docs/benchmarks/ehr.json <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out = {"machine": "2 threads, the numbers of one run of tools/bench_ehr.sh", "runs": rows, "ratios": []}
for task in ("load_record", "meds_list_load_one", "ehr_forward"):
    ref = next(r for r in rows if r["task"] == task and r["impl"] != "attnscope")
    for ours in (r for r in rows if r["task"] == task and r["impl"] == "attnscope"):
        ratio = {"task": task, "store": ours.get("store", ""), "time_ratio": ours["seconds"] / ref["seconds"],
                 "peak_memory_ratio": ours["peak_rss_mb"] / ref["peak_rss_mb"], "reference": ref["impl"]}
        out["ratios"].append(ratio)
        print(f'{task:20s} {ratio["store"]:4s} time {ratio["time_ratio"]:.3f}x  peak memory {ratio["peak_memory_ratio"]:.3f}x  (vs {ref["impl"]})')
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
