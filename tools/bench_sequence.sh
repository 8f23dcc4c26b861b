#!/usr/bin/env bash
# The sequence-model benchmark, one command: attnscope against the PyTorch references of
# tools/bench_sequence_torch.py on the same random weights and input, every head's attention
# recorded (attnscope: float16 store, in memory and then on disk as `run --store-dir` keeps it), 2 threads, batch 1:
#   - the Nucleotide Transformer v2 500M shape (29 layers, 1024 wide, 16 heads, gated ffn 4096) at 2,048 tokens;
#   - ProtBert (30 layers, 1024 wide, 16 heads, ffn 4096) at 1,000 residues, with its contacts.
# Then one layer's matrix products alone (attnscope-bench products), the share of the GEMM rate
# that no forward pass through Eigen's products can pass. Last, Eigen's float32 GEMM rate on 2048^3. Each measurement runs in its own process, so its
# peak memory is its own. Writes docs/benchmarks/sequence.json and prints the ratios.
#   bash tools/bench_sequence.sh            (REPEATS=2 timed runs after a cold one; THREADS=2)
set -euo pipefail
source "$(dirname "$0")/bench_prepare.sh"
for case in "nt_v2_500m 2048 2048 gated" "protbert 1000 1002 plain"; do # model, input length, tokens, feed-forward
  read -r kind length tokens gated <<<"$case"
  $py tools/bench_sequence_torch.py --export "$work/$kind" --model-kind "$kind"
  $py tools/bench_sequence_torch.py --input-out "$work/$kind.fa" --model-kind "$kind" --length "$length"
  $py tools/bench_sequence_torch.py --model "$work/$kind" --model-kind "$kind" --input "$work/$kind.fa" --threads "$threads" --repeats "$repeats" | tee -a "$results"
  "$bench" sequence "$work/$kind" "$work/$kind.fa" f16 "$repeats" | sed "s/^{/{\"model\": \"$kind\", /" | tee -a "$results"
  mkdir -p "$work/store" # the same run with the store on disk (--store-dir): each finished layer leaves memory
  "$bench" sequence "$work/$kind" "$work/$kind.fa" f16 "$repeats" "$work/store" | sed "s/^{/{\"model\": \"$kind\", /" | tee -a "$results"
  rm -rf "${work:?}/$kind"
  # What the GEMM rate allows: one layer's products alone, as the kernel runs them (no softmax, no recording)
  "$bench" products "$tokens" 1024 4096 16 "$gated" 10 | sed "s/^{/{\"model\": \"$kind\", /" | tee -a "$results"
done
"$bench" gemm 2048 3 | tee -a "$results"
mkdir -p docs/benchmarks
$py tools/bench_sequence_report.py "$results" docs/benchmarks/sequence.json
