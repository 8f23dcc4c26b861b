#!/usr/bin/env bash
# Head importance against one forward (issue 25's target: the grid of a 6 x 8 model at L = 512 in at
# most 15 times one forward with every head's attention recorded): the foundation benchmark's model
# (d_model 256, 8 heads, 6 layers, feed-forward 1024; written by tools/bench_torch.py), 2 threads,
# best of REPEATS for both, in one process. Writes docs/benchmarks/importance.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh release
export OMP_NUM_THREADS="${THREADS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tools/bench_torch.py --len 512 --threads "$OMP_NUM_THREADS" --export "$work/model" > /dev/null
mkdir -p docs/benchmarks
for ablation in zero mean uniform; do
  build/release/tests/bench/attnscope-bench importance "$work/model" "${REPEATS:-5}" "$ablation"
done | tee "$work/results.jsonl"
/usr/bin/python3 -c '
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
json.dump({"what": "head importance grid against one forward with attention recorded", "runs": rows}, open(sys.argv[2], "w"), indent=2)
for r in rows:
    print("%-8s grid %.3f s, forward %.4f s: %.1fx" % (r["ablation"], r["grid_seconds"], r["forward_seconds"], r["grid_over_forward"]))
' "$work/results.jsonl" docs/benchmarks/importance.json
