#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz (preset fuzz: clang 14, ASan + UBSan).
#   bash tools/fuzz.sh TARGET SECONDS   one target, e.g. safetensors
#   bash tools/fuzz.sh all SECONDS      each target in turn
# Each starts from its seeds in tests/fuzz/corpus/TARGET (kept small, in git) and a working
# corpus in build/fuzz/corpus/TARGET (what it found before, not in git), with the dictionary of
# its format in tests/fuzz/dict/ when there is one (dicom.dict for the three DICOM targets). Prints "TARGET: N execs, K crashes" per target
# and last "fuzz: T targets, N execs, K crashes"; exits non-zero when a target crashed, leaked,
# ran out of memory or timed out. Findings are kept in build/fuzz/findings/TARGET/. FUZZ_SEED=N
# fixes libFuzzer's random seed (CI sets it); FUZZ_RUNS=N stops a target after N executions
# when that comes before SECONDS (the long runs: FUZZ_RUNS=1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: bash tools/fuzz.sh TARGET|all SECONDS" >&2
  exit 2
fi
bash tools/setup.sh
bash tools/build.sh fuzz
all=(checkpoint tokenizer_json safetensors model_dir fasta npy nifti dicom_file dicom_folder dicomdir msa structure fhir event_table meds monai_bundle bed code_pairs residue_list)
if [[ $1 == all ]]; then targets=("${all[@]}"); else targets=("$1"); fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}" # DCMTK's own, with reasons
total_execs=0 total_crashes=0
for t in "${targets[@]}"; do
  exe="build/fuzz/tests/fuzz/fuzz_$t"
  [[ -x $exe ]] || { echo "fuzz: no target '$t' (targets: ${all[*]})" >&2; exit 2; }
  work="build/fuzz/corpus/$t" findings="build/fuzz/findings/$t" log="build/fuzz/logs/$t.log"
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  args=(-max_total_time="$2" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/")
  [[ -n ${FUZZ_SEED:-} ]] && args+=(-seed="$FUZZ_SEED") # CI: the same mutations first on every run
  [[ -n ${FUZZ_RUNS:-} ]] && args+=(-runs="$FUZZ_RUNS")
  dict="tests/fuzz/dict/${t/#dicom*/dicom}.dict"
  [[ -f $dict ]] && args+=(-dict="$dict")
  # DCMTK cannot defer loading the elements of a deflated dataset (a zlib stream does not seek),
  # so it reserves each element's claimed length (up to 4 GB, a 32-bit field) with a nothrow new
  # before reading it, and the read then fails at the stream's end: address space, not memory
  # (the pages touched are at most the inflated bytes). The memory actually used stays bounded
  # by -rss_limit_mb for every target, DICOM's too.
  [[ $t == dicom* ]] && args+=(-malloc_limit_mb=4200)
  before=$(find "$findings" -type f | wc -l)
  status=0
  "$exe" "${args[@]}" "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(( $(find "$findings" -type f | wc -l) - before ))
  (( status != 0 && crashes == 0 )) && crashes=1 # stopped without leaving an artifact
  echo "$t: ${execs:-0} execs, $crashes crashes"
  (( crashes == 0 )) || { echo "  see $log and $findings/" >&2; grep -m3 -E "ERROR|SUMMARY|runtime error|uncaught" "$log" >&2 || true; }
  total_execs=$(( total_execs + ${execs:-0} ))
  total_crashes=$(( total_crashes + crashes ))
done
echo "fuzz: ${#targets[@]} targets, $total_execs execs, $total_crashes crashes"
(( total_crashes == 0 ))
