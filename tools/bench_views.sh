#!/usr/bin/env bash
# The view benchmarks, one command. First the attention map alone: time to show another head
# (rebuild of the cached image pyramid + one paint at 800 x 700) and to repaint after zoom/pan,
# at L = 512 and 2048 (8 heads of synthetic sharp-to-diffuse attention), against a 16 ms frame
# (docs/benchmarks/map-view.json). Then the real window with every view that follows the
# selection, on a 6-layer, 8-head run at L = 512, 2048 and 4096: a head switch, a token click
# and a zoom, each the state change plus a synchronous repaint of the window, against 50 ms
# (and a token click until the worker's rollout row is shown)
# (docs/benchmarks/window-interaction.json). Then the alignment view scrolling through 1,000
# sequences x 1,000 columns at 1400 x 900 (docs/benchmarks/msa-view.json). Then the other kinds'
# views on large inputs: a 4,096-event record's timeline and heads over time, and a 1,000 x 1,000
# alignment opened, analysed and clicked (docs/benchmarks/kind-views.json). Prints the tables.
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
build/release/tests/bench/attnscope-bench-msa 1000 1000 > docs/benchmarks/msa-view.json
# The whole window (map, tokens, grid, statistics, the DNA page and track) on a 6 x 8 run, under Xvfb.
{
  echo "["
  for len in 512 2048 4096; do
    [[ $len == 512 ]] || echo ","
    XDG_CONFIG_HOME="$(mktemp -d)" xvfb-run -a -s "-screen 0 1600x1200x24" build/release/tests/bench/attnscope-bench-window "$len" 6 8
  done
  echo "]"
} > docs/benchmarks/window-interaction.json
XDG_CONFIG_HOME="$(mktemp -d)" xvfb-run -a -s "-screen 0 1600x1200x24" build/release/tests/bench/attnscope-bench-kinds 4096 1000 1000 \
  > docs/benchmarks/kind-views.json
/usr/bin/env python3 - <<'PY'
import json
rows = json.load(open("docs/benchmarks/window-interaction.json"))
print(f"{'L':>5} {'head switch ms':>15} {'(views only)':>13} {'token click ms':>15} {'(rollout shown)':>16} {'zoom ms':>8} {'map repaint ms':>15}   (mean / max; target 50, map 16)")
for r in rows:
    f = lambda k: f"{r[k]['mean_ms']:.0f}/{r[k]['max_ms']:.0f}"
    print(f"{r['len']:>5} {f('head_switch'):>15} {f('head_switch_state_only'):>13} {f('token_click'):>15} {f('token_click_rollout_shown'):>16} {f('zoom'):>8} {f('map_repaint'):>15}")
m = json.load(open("docs/benchmarks/msa-view.json"))
print(f"alignment {m['sequences']} x {m['columns']}: scroll down {m['scroll_down']['mean_ms']:.1f}/{m['scroll_down']['max_ms']:.1f} ms, "
      f"right {m['scroll_right']['mean_ms']:.1f}/{m['scroll_right']['max_ms']:.1f} ms, jump {m['jump']['mean_ms']:.1f}/{m['jump']['max_ms']:.1f} ms "
      f"(mean / max; frame 16 ms)")
k = json.load(open("docs/benchmarks/kind-views.json"))["runs"]
f = lambda r, key: f"{r[key]['mean_ms']:.0f}/{r[key]['max_ms']:.0f}"
e, a = k[0], k[1]
print(f"record of {e['events']} events: head switch {f(e, 'head_switch')} ms, event click {f(e, 'event_click')}, hover {f(e, 'hover')}, "
      f"zoom {f(e, 'zoom')}, layer switch {f(e, 'layer_switch_gui_thread')} (heads over time shown after {f(e, 'layer_switch_heads_over_time_shown')})")
print(f"alignment {a['sequences']} x {a['columns']}: opened in {a['open_gui_thread_ms']:.0f} ms on the GUI thread, weights and MI-APC shown after "
      f"{a['analysis_shown_ms']:.0f} ms, column click {f(a, 'column_click')} ms (mean/max; target 50)")
rows = json.load(open("docs/benchmarks/map-view.json"))
print(f"{'L':>5} {'switch mean ms':>15} {'switch max ms':>14} {'repaint mean ms':>16} {'max / 16 ms':>12}")
for r in rows:
    print(f"{r['len']:>5} {r['head_switch_ms_mean']:>15.1f} {r['head_switch_ms_max']:>14.1f} "
          f"{r['repaint_ms_mean']:>16.1f} {r['head_switch_ms_max'] / r['frame_budget_ms']:>12.2f}")
PY
