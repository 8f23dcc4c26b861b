#!/usr/bin/env python3
"""Summarises tools/bench_sequence.sh's JSON lines: per model, attnscope's and PyTorch's best
time and peak memory, their ratios, the GFLOP of one forward pass, the rate each side reached
and what Eigen's GEMM rate allows (the time at that rate, as a ratio of PyTorch's). Besides the best
run against the best rate, each timed run is set against the rate measured just before and after
it, and the median of those shares is reported. The GEMM rate
is the best of the 2048^3 products attnscope-bench ran between its own timed runs, so that both
are measured under the same load; `products` gives the share one layer's matrix products reach
alone, the ceiling for a forward pass through Eigen; the separate `gemm` run at the end is reported beside it. Each
case has a second attnscope run with the store on disk (`store_on_disk`, as `run --store-dir`).
Usage: bench_sequence_report.py RESULTS.jsonl OUT.json"""
import json
import statistics
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


def run_shares(work, entry):
    """Each timed run's share of the GEMM rate measured just before and just after it (their mean):
    on a machine whose rate drifts within minutes, the fair pairing. Returns the shares and their median."""
    times, rates = entry["runs_seconds"], entry["gemm_gflops_around_runs"]
    shares = [work / t / ((rates[i] + rates[i + 1]) / 2) for i, t in enumerate(times)]
    return shares, statistics.median(shares)


def main():
    lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    gemm_at_end = next(x["gflops"] for x in lines if x.get("impl") == "eigen_gemm")
    cases = []
    for model in SHAPES:
        ours = next(x for x in lines if x.get("impl") == "attnscope" and x.get("model") == model and not x.get("store_on_disk"))
        disk = next(x for x in lines if x.get("impl") == "attnscope" and x.get("model") == model and x.get("store_on_disk"))
        ref = next(x for x in lines if x.get("impl") == "pytorch" and x.get("model") == model)
        products = next(x for x in lines if x.get("impl") == "eigen_layer_products" and x.get("model") == model)
        work = gflop(model, ours["tokens"])
        gemm = ours["gemm_gflops_between_runs"]
        shares, median = run_shares(work, ours)
        disk_median = run_shares(work, disk)[1]
        product_shares, product_median = run_shares(products["flops"] / 1e9, products)
        cases.append({"model": model, "tokens": ours["tokens"], "threads": ours["threads"], "store": ours["store"],
                      "gflop_per_forward": work, "attnscope_seconds": ours["seconds"], "pytorch_seconds": ref["seconds"],
                      "time_ratio": ours["seconds"] / ref["seconds"], "attnscope_gflops": work / ours["seconds"],
                      "pytorch_gflops": work / ref["seconds"], "gemm_gflops": gemm,
                      "gemm_gflops_separate_run": gemm_at_end,
                      "share_of_gemm_rate": work / ours["seconds"] / gemm,
                      "share_of_gemm_rate_each_run": shares, "share_of_gemm_rate_median_of_runs": median,
                      "layer_products_alone_share_of_gemm_rate": products["share_of_gemm"],
                      "layer_products_alone_share_each_run": product_shares,
                      "layer_products_alone_share_median_of_runs": product_median,
                      "best_possible_time_ratio": work / gemm / ref["seconds"],
                      "attnscope_peak_mb": ours["peak_rss_mb"], "pytorch_peak_mb": ref["peak_rss_mb"],
                      "memory_ratio": ours["peak_rss_mb"] / ref["peak_rss_mb"],
                      "logits_sum": {"attnscope": ours["logits_sum"], "pytorch": ref["logits_sum"]},
                      "store_on_disk": {"attnscope_seconds": disk["seconds"], "time_ratio": disk["seconds"] / ref["seconds"],
                                        "gemm_gflops": disk["gemm_gflops_between_runs"],
                                        "share_of_gemm_rate": work / disk["seconds"] / disk["gemm_gflops_between_runs"],
                                        "share_of_gemm_rate_median_of_runs": disk_median,
                                        "attnscope_peak_mb": disk["peak_rss_mb"],
                                        "memory_ratio": disk["peak_rss_mb"] / ref["peak_rss_mb"],
                                        "logits_sum": disk["logits_sum"]}})
    with open(sys.argv[2], "w") as f:
        json.dump({"cases": cases}, f, indent=2)
        f.write("\n")
    for c in cases:
        print(f"{c['model']} at {c['tokens']} tokens: {c['attnscope_seconds']:.2f} s vs PyTorch {c['pytorch_seconds']:.2f} s "
              f"(time {c['time_ratio']:.2f}x, {c['attnscope_gflops']:.0f} GFLOP/s = {100 * c['share_of_gemm_rate']:.0f} % of GEMM "
              f"{c['gemm_gflops']:.0f}; at the GEMM rate {c['best_possible_time_ratio']:.2f}x), peak {c['attnscope_peak_mb']:.0f} MB vs "
              f"{c['pytorch_peak_mb']:.0f} MB (memory {c['memory_ratio']:.2f}x)")
        print(f"  each run against the GEMM rate measured around it: "
              f"{', '.join(f'{100 * x:.0f} %' for x in c['share_of_gemm_rate_each_run'])} (median "
              f"{100 * c['share_of_gemm_rate_median_of_runs']:.0f} %)")
        print(f"  one layer's products alone: {100 * c['layer_products_alone_share_of_gemm_rate']:.0f} % of GEMM "
              f"(median of runs {100 * c['layer_products_alone_share_median_of_runs']:.0f} %)")
        d = c["store_on_disk"]
        print(f"  store on disk: {d['attnscope_seconds']:.2f} s (time {d['time_ratio']:.2f}x, {100 * d['share_of_gemm_rate']:.0f} % of GEMM "
              f"{d['gemm_gflops']:.0f}; median of runs {100 * d['share_of_gemm_rate_median_of_runs']:.0f} %), peak {d['attnscope_peak_mb']:.0f} MB (memory {d['memory_ratio']:.2f}x)")


if __name__ == "__main__":
    main()
