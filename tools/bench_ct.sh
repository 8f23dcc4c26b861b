#!/usr/bin/env bash
# CT model benchmark, one command: inference time (resample to the model's grid, HU window, conv
# stem, encoder, classifier; best of 5 after a cold run) and peak memory of the CT model on the demo
# study, 2 threads. Writes docs/benchmarks/ct-model.json.
#   bash tools/bench_ct.sh [MODEL_DIR] [DICOM_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh release
model="${1:-resources/models/ct_lesion}"
study="${2:-tests/data/ct_demo}"
export OMP_NUM_THREADS="${THREADS:-2}"
mkdir -p docs/benchmarks
build/release/tests/bench/attnscope-bench ct "$model" "$study" 5 | tee docs/benchmarks/ct-model.json
