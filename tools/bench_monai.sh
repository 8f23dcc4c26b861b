#!/usr/bin/env bash
# The MONAI benchmark, one command: attnscope against PyTorch (Debian's python3-torch running
# tools/monai_networks.py, MONAI's UNETR re-written) on the same bundle: UNETR with a ViT-B encoder,
# a 96^3 region of 16^3 patches, 14 labels, random weights (tools/bench_monai_torch.py --export), on
# the demo head CT preprocessed as the bundle says (RAS, 1.5 x 1.5 x 2 mm, HU window, foreground
# crop). Two measurements, each in its own process so that its peak memory is its own, 2 threads,
# best of R runs after a cold one:
#   - region: preprocessing and the region's forward pass, every head's attention kept;
#   - whole: the same, then MONAI's sliding windows (overlap 0.5, Gaussian) over the whole study.
# Writes docs/benchmarks/monai.json and prints the ratios, the GEMM rate and what it allows.
#   bash tools/bench_monai.sh [DICOM_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/setup.sh tools/reference-packages.txt
bash tools/build.sh release
study="${1:-resources/data/ct_demo}"
export OMP_NUM_THREADS="${THREADS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench=build/release/tests/bench/attnscope-bench
/usr/bin/python3 tools/bench_monai_torch.py --export "$work/unetr_vitb"
results="$work/results.jsonl"
for mode in region whole; do
  flag=$([[ $mode == whole ]] && echo --whole || true)
  /usr/bin/python3 tools/bench_monai_torch.py --run "$work/unetr_vitb" --study "$study" $flag --repeats 2 >> "$results"
  "$bench" ct "$work/unetr_vitb" "$study" 2 "$mode" >> "$results"
done
mkdir -p docs/benchmarks
/usr/bin/python3 tools/bench_monai_report.py "$results" docs/benchmarks/monai.json
