#!/usr/bin/env bash
# DICOM loading benchmark, one command: attnscope scanning the demo study's folder and building
# its volume (or DIR's: bash tools/bench_dicom.sh [DIR]), against dcm2niix (Debian package) converting the same series to an uncompressed
# NIfTI, side by side, best of 5 each after a first run. dcm2niix's time includes writing its
# output file (it has no read-only mode); attnscope's does not. Adds the study's entry to docs/benchmarks/dicom-load.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/setup.sh tools/reference-packages.txt
bash tools/build.sh release
study="${1:-resources/data/ct_demo}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
ours="$(build/release/tests/bench/attnscope-bench dicom "$study" 5)"
mkdir -p docs/benchmarks
/usr/bin/env python3 - "$ours" "$out" "$study" <<'PY'
import json, shutil, subprocess, sys, time, os
ours, out, study = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
times = []
for i in range(6):  # the first run is the cold one, left out as for attnscope
    shutil.rmtree(out); os.makedirs(out)
    start = time.perf_counter()
    subprocess.run(["dcm2niix", "-z", "n", "-o", out, "-f", "converted", study], check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
theirs = min(times[1:])
entry = {"attnscope": ours, "dcm2niix_seconds": theirs, "time_ratio_attnscope_over_dcm2niix": ours["seconds"] / theirs,
         "note": "best of 5 after a first run; dcm2niix also writes an uncompressed NIfTI"}
path = "docs/benchmarks/dicom-load.json"
try:  # one entry per study benchmarked
    report = json.load(open(path))
    report = report if "studies" in report else {"studies": {}}
except (OSError, ValueError):
    report = {"studies": {}}
report["studies"][study] = entry
with open(path, "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
print(f"{study}: attnscope {ours['seconds']:.3f} s, dcm2niix {theirs:.3f} s, ratio {entry['time_ratio_attnscope_over_dcm2niix']:.2f}")
PY
