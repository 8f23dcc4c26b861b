# Sourced by the benchmark scripts (bench_sequence.sh, bench_proteins.sh, bench_ehr.sh) after
# `set -euo pipefail`: installs what the benchmarks need, builds the release, and sets what each
# one uses: threads (THREADS, default 2), repeats (REPEATS, default BENCH_REPEATS or 2), a work
# folder removed on exit, the Python with Debian's PyTorch, the bench binary and the results file.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup.sh
bash tools/setup.sh tools/reference-packages.txt
bash tools/build.sh release
threads="${THREADS:-2}" repeats="${REPEATS:-${BENCH_REPEATS:-2}}"
export OMP_NUM_THREADS="$threads"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3
bench=build/release/tests/bench/attnscope-bench
results="$work/results.jsonl"
