#!/usr/bin/env bash
# The attention map's redraw benchmark, one command: time to show another head (rebuild of
# the cached image pyramid + one paint at 800 x 700) and to repaint after zoom/pan, at
# L = 512 and 2048 (8 heads of synthetic sharp-to-diffuse attention), against a 16 ms frame.
# Writes docs/benchmarks/map-view.json and prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh release
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
mkdir -p docs/benchmarks
{
  echo "["
  build/release/tests/bench/attnscope-bench-views 512
  echo ","
  build/release/tests/bench/attnscope-bench-views 2048
  echo "]"
} > docs/benchmarks/map-view.json
/usr/bin/env python3 - <<'PY'
import json
rows = json.load(open("docs/benchmarks/map-view.json"))
print(f"{'L':>5} {'switch mean ms':>15} {'switch max ms':>14} {'repaint mean ms':>16} {'max / 16 ms':>12}")
for r in rows:
    print(f"{r['len']:>5} {r['head_switch_ms_mean']:>15.1f} {r['head_switch_ms_max']:>14.1f} "
          f"{r['repaint_ms_mean']:>16.1f} {r['head_switch_ms_max'] / r['frame_budget_ms']:>12.2f}")
PY
