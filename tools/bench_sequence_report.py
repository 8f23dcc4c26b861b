#!/usr/bin/env python3
"""Summarises tools/bench_sequence.sh's JSON lines: per model, attnscope's and PyTorch's best
time and peak memory, their ratios, the GFLOP of one forward pass, the rate each side reached
and what Eigen's GEMM rate allows (the time at that rate, as a ratio of PyTorch's).
Usage: bench_sequence_report.py RESULTS.jsonl OUT.json"""
import json
import sys

SHAPES = {  # layers, width, heads, ffn, gated, vocab
    "nt_v2_500m": (29, 1024, 16, 4096, True, 4107),
    "protbert": (30, 1024, 16, 4096, False, 30),
}


def gflop(model, tokens):
    layers, d, _, ff, gated, vocab = SHAPES[model]
    t = tokens
    per_layer = 2 * t * d * 3 * d + 2 * 2 * t * t * d + 2 * t * d * d + 2 * t * d * ff * (3 if gated else 2)
    return (layers * per_layer + 2 * t * d * d + 2 * t * d * vocab) / 1e9


def main():
    lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    gemm = next(x["gflops"] for x in lines if x.get("impl") == "eigen_gemm")
    cases = []
    for model in SHAPES:
        ours = next(x for x in lines if x.get("impl") == "attnscope" and x.get("model") == model)
        ref = next(x for x in lines if x.get("impl") == "pytorch" and x.get("model") == model)
        work = gflop(model, ours["tokens"])
        cases.append({"model": model, "tokens": ours["tokens"], "threads": ours["threads"], "store": ours["store"],
                      "gflop_per_forward": work, "attnscope_seconds": ours["seconds"], "pytorch_seconds": ref["seconds"],
                      "time_ratio": ours["seconds"] / ref["seconds"], "attnscope_gflops": work / ours["seconds"],
                      "pytorch_gflops": work / ref["seconds"], "gemm_gflops": gemm,
                      "share_of_gemm_rate": work / ours["seconds"] / gemm,
                      "best_possible_time_ratio": work / gemm / ref["seconds"],
                      "attnscope_peak_mb": ours["peak_rss_mb"], "pytorch_peak_mb": ref["peak_rss_mb"],
                      "memory_ratio": ours["peak_rss_mb"] / ref["peak_rss_mb"],
                      "logits_sum": {"attnscope": ours["logits_sum"], "pytorch": ref["logits_sum"]}})
    with open(sys.argv[2], "w") as f:
        json.dump({"cases": cases}, f, indent=2)
        f.write("\n")
    for c in cases:
        print(f"{c['model']} at {c['tokens']} tokens: {c['attnscope_seconds']:.2f} s vs PyTorch {c['pytorch_seconds']:.2f} s "
              f"(time {c['time_ratio']:.2f}x, {c['attnscope_gflops']:.0f} GFLOP/s = {100 * c['share_of_gemm_rate']:.0f} % of GEMM "
              f"{c['gemm_gflops']:.0f}; at the GEMM rate {c['best_possible_time_ratio']:.2f}x), peak {c['attnscope_peak_mb']:.0f} MB vs "
              f"{c['pytorch_peak_mb']:.0f} MB (memory {c['memory_ratio']:.2f}x)")


if __name__ == "__main__":
    main()
