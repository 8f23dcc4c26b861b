#!/usr/bin/env bash
# The CT model benchmark, one command: attnscope against PyTorch (Debian's python3-torch) on the
# same ct_encoder model and the same DICOM study, 2 threads, batch 1. Timed on both sides:
# resampling the study to the model grid, the HU window, the conv stem, the encoder with every
# head's attention recorded, the classifier (best of R runs after a cold first run; reading the
# DICOM files is benchmarked apart by tools/bench_dicom.sh). Two models: the demo model
# resources/models/ct_lesion (257 tokens) and a larger random one (2049 tokens) from
# tools/bench_ct_torch.py --export. Each measurement runs in its own process so its peak memory is
# its own. Writes docs/benchmarks/ct-model.json and prints the ratios; then times putting the
# overlay on a 512 x 512 x 300 study (docs/benchmarks/ct-overlay.json, no external reference).
#   bash tools/bench_ct.sh [DICOM_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/setup.sh tools/reference-packages.txt
bash tools/build.sh release
study="${1:-resources/data/ct_demo}"
threads="${THREADS:-2}"
export OMP_NUM_THREADS="$threads"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench=build/release/tests/bench/attnscope-bench
/usr/bin/python3 tools/bench_ct_torch.py --export "$work/ct_large"
results="$work/results.jsonl"
for model in resources/models/ct_lesion "$work/ct_large"; do
  repeats=$([[ "$model" == resources/* ]] && echo 20 || echo 5)
  /usr/bin/python3 tools/bench_ct_torch.py --model "$model" --study "$study" --threads "$threads" --repeats "$repeats" >> "$results"
  "$bench" ct "$model" "$study" "$repeats" >> "$results"
done
mkdir -p docs/benchmarks
/usr/bin/python3 tools/bench_ct_report.py "$results" docs/benchmarks/ct-model.json
# the overlay (rollout [CLS] row backprojected and put on the study's grid) for a large study
"$bench" overlay resources/models/ct_lesion 512 512 300 3 | tee docs/benchmarks/ct-overlay.json
