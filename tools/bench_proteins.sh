#!/usr/bin/env bash
# The protein benchmark, one command: attnscope against the PyTorch references of
# tools/protein_models.py (Debian's python3-torch) on the same random weights and inputs,
# every head's attention recorded, 2 threads, batch 1 (tools/bench_proteins_torch.py says what
# is timed on the PyTorch side; attnscope-bench protein times the same on ours, f16 store).
#   - MSA Transformer shape (12 layers, 768 wide, 12 heads), N = 16, 32, 64 sequences x 256 columns;
#   - ESM-2 150M shape (30 layers, 640 wide, 20 heads), L = 1,022;
#   - PyTorch with full attention over all N x 257 tokens (nothing recorded) at N = 16 and 32.
# Last, Eigen's float32 GEMM rate on 2048^3, which bounds any implementation of these GEMM-bound
# shapes. Each measurement runs in its own process, so its peak memory is its own. Writes
# docs/benchmarks/proteins.json and docs/benchmarks/proteins-scaling.svg and prints the ratios.
#   bash tools/bench_proteins.sh            (REPEATS=2 timed runs after a cold one; THREADS=2)
set -euo pipefail
source "$(dirname "$0")/bench_prepare.sh"
$py tools/bench_proteins_torch.py --export "$work/msa" --family msa_transformer
$py tools/bench_proteins_torch.py --export "$work/esm" --family esm
for n in 16 32 64; do
  input="$work/msa_$n.fa"
  $py tools/bench_proteins_torch.py --input-out "$input" --rows "$n" --columns 256 --seed "$n"
  $py tools/bench_proteins_torch.py --model "$work/msa" --input "$input" --threads "$threads" --repeats "$repeats" | tee -a "$results"
  "$bench" protein "$work/msa" "$input" f16 "$repeats" | tee -a "$results"
done
for n in 16 32; do
  $py tools/bench_proteins_torch.py --model "$work/msa" --input "$work/msa_$n.fa" --threads "$threads" --repeats 1 --full | tee -a "$results"
done
$py tools/bench_proteins_torch.py --input-out "$work/esm.fa" --rows 1 --columns 1022 --seed 1
$py tools/bench_proteins_torch.py --model "$work/esm" --input "$work/esm.fa" --threads "$threads" --repeats "$repeats" | tee -a "$results"
"$bench" protein "$work/esm" "$work/esm.fa" f16 "$repeats" | tee -a "$results"
"$bench" gemm 2048 3 | tee -a "$results" # the machine's float32 GEMM rate: what bounds both sides
mkdir -p docs/benchmarks
$py tools/bench_proteins_report.py "$results" docs/benchmarks/proteins.json docs/benchmarks/proteins-scaling.svg
