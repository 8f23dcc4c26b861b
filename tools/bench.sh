#!/usr/bin/env bash
# The foundation benchmark, one command: attnscope against PyTorch (Debian's python3-torch
# on OpenBLAS) on the same model and input: d_model 256, 8 heads, 6 layers, feed-forward
# 1024, L = 512 and 2048, batch 1, every layer's per-head attention recorded, 2 threads.
# Each measurement runs in its own process so its peak memory is its own.
# Writes docs/benchmarks/foundation.json and prints a table of ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/setup.sh tools/reference-packages.txt
bash tools/build.sh release
threads="${THREADS:-2}"
export OMP_NUM_THREADS="$threads"
unset OPENBLAS_CORETYPE
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench=build/release/tests/bench/attnscope-bench
results="$work/results.jsonl"
# Best of R timed runs after a warm-up, for both sides (the machines are shared: best-of
# filters out other tenants' bursts).
for len in 512 2048; do
  repeats=$(( len == 512 ? 10 : 5 ))
  /usr/bin/python3 tools/bench_torch.py --len "$len" --threads "$threads" --export "$work/model_$len"
  /usr/bin/python3 tools/bench_torch.py --len "$len" --threads "$threads" --repeats "$repeats" >> "$results"
  "$bench" forward "$work/model_$len" f32 "$repeats" >> "$results"
  "$bench" forward "$work/model_$len" f16 "$repeats" >> "$results"
done
"$bench" gemm 2048 5 >> "$results"
mkdir -p docs/benchmarks
/usr/bin/python3 tools/bench_report.py "$results" docs/benchmarks/foundation.json
