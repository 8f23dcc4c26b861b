#!/usr/bin/env python3
"""Report of tools/bench_proteins.sh: the ratios attnscope / PyTorch per shape (time, peak memory
with the f16 store), the contact maps' agreement (sums), each side's rate against the machine's
float32 GEMM rate measured in the same run (what bounds any implementation on these shapes),
and a plot of time against N for the MSA Transformer with the O(N L (N + L)) law fitted to
attnscope's times and PyTorch's full attention over N x L tokens beside it.

    bench_proteins_report.py RESULTS.jsonl OUT.json OUT.svg"""
import json
import sys

import numpy as np

SHAPES = {"msa_transformer": (12, 768, 3072), "esm": (30, 640, 2560)}


def forward_flops(family, rows, columns):
    """Matrix-multiply FLOPs of one forward (2 per multiply-add): projections, feed-forward,
    attention scores and their products with V; the LM head's dense layer."""
    layers, d, f = SHAPES[family]
    if family == "msa_transformer":
        r, c = rows, columns + 1
        t = r * c
        per_layer = 2 * (8 * t * d * d + 2 * t * d * f) + 4 * r * c * c * d + 4 * c * r * r * d
    else:
        t = columns + 2
        per_layer = 2 * (4 * t * d * d + 2 * t * d * f) + 4 * t * t * d
    return layers * per_layer + 2 * t * d * d


def main(results, out_json, out_svg):
    rows = [json.loads(line) for line in open(results) if line.strip()]
    key = lambda r: (r["family"], r["rows"], r["columns"])  # noqa: E731
    ours = {key(r): r for r in rows if r["impl"] == "attnscope"}
    torch = {key(r): r for r in rows if r["impl"] == "pytorch"}
    full = {key(r): r for r in rows if r["impl"] == "pytorch_full_attention"}
    gemm = max((r["gflops"] for r in rows if r["impl"] == "eigen_gemm"), default=None)
    cases = []
    for k in sorted(ours, key=lambda k: (k[0], k[1])):
        a, t = ours[k], torch[k]
        gflop = forward_flops(*k) / 1e9
        case = {"family": k[0], "sequences": k[1], "columns": k[2], "threads": a["threads"], "store": a["store"],
                "gflop_per_forward": gflop,
                "attnscope_seconds": a["seconds"], "pytorch_seconds": t["seconds"],
                "time_ratio": a["seconds"] / t["seconds"],
                "attnscope_gflops": gflop / a["seconds"], "pytorch_gflops": gflop / t["seconds"],
                "attnscope_peak_mb": a["peak_rss_mb"], "pytorch_peak_mb": t["peak_rss_mb"],
                "memory_ratio": a["peak_rss_mb"] / t["peak_rss_mb"],
                "contacts_sum": {"attnscope": a["contacts_sum"], "pytorch": t["contacts_sum"]},
                "pytorch_full_attention_seconds": full[k]["seconds"] if k in full else None}
        if gemm:  # no implementation beats the GEMM rate on GEMM-bound work
            case["best_possible_time_ratio"] = (gflop / gemm) / t["seconds"]
        cases.append(case)
    msa = [c for c in cases if c["family"] == "msa_transformer"]
    law = None
    if len(msa) >= 2:  # t = a N L + b N L (N + L): projections and feed-forward, then attention
        n = np.array([c["sequences"] for c in msa], float)
        l = np.array([c["columns"] + 1 for c in msa], float)
        t = np.array([c["attnscope_seconds"] for c in msa])
        basis = np.stack([n * l, n * l * (n + l)], 1)
        coef, *_ = np.linalg.lstsq(basis, t, rcond=None)
        fitted = basis @ coef
        law = {"model": "t = a N L + b N L (N + L), L = columns + 1", "a": float(coef[0]), "b": float(coef[1]),
               "max_relative_residual": float(np.max(np.abs(fitted - t) / t))}
    report = {"cases": cases, "law": law, "gemm_gflops": gemm,
              "targets": {"time_ratio": "<= 0.5", "memory_ratio": "<= 0.6 (f16 store)"}}
    with open(out_json, "w") as f:
        json.dump(report, f, indent=2)
    if gemm:
        print(f"float32 GEMM 2048^3 in the same run: {gemm:.0f} GFLOP/s")
    for c in cases:
        print(f"{c['family']} N={c['sequences']} L={c['columns']} ({c['gflop_per_forward']:.0f} GFLOP): time "
              f"{c['attnscope_seconds']:.2f} s vs {c['pytorch_seconds']:.2f} s (x{c['time_ratio']:.2f}; "
              f"{c['attnscope_gflops']:.0f} vs {c['pytorch_gflops']:.0f} GFLOP/s"
              + (f"; at the GEMM rate x{c['best_possible_time_ratio']:.2f}" if gemm else "") + "), peak "
              f"{c['attnscope_peak_mb']:.0f} MB vs {c['pytorch_peak_mb']:.0f} MB (x{c['memory_ratio']:.2f})"
              + (f", PyTorch full attention {c['pytorch_full_attention_seconds']:.1f} s" if c["pytorch_full_attention_seconds"] else ""))
    if law:
        print(f"law: {law['model']}, largest residual {100 * law['max_relative_residual']:.1f} %")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    n = [c["sequences"] for c in msa]
    ax.plot(n, [c["attnscope_seconds"] for c in msa], "o-", label="attnscope (axial, every head kept, f16)")
    ax.plot(n, [c["pytorch_seconds"] for c in msa], "s-", label="PyTorch reference (axial, every head kept)")
    fulls = [(c["sequences"], c["pytorch_full_attention_seconds"]) for c in msa if c["pytorch_full_attention_seconds"]]
    if fulls:
        ax.plot(*zip(*fulls), "^--", label="PyTorch, full attention over N x L tokens")
    if law:
        grid = np.linspace(min(n), max(n), 50)
        l = msa[0]["columns"] + 1
        ax.plot(grid, law["a"] * grid * l + law["b"] * grid * l * (grid + l), ":", color="gray", label="fit a NL + b NL(N+L)")
    ax.set_xlabel("sequences N (256 columns)")
    ax.set_ylabel("seconds per forward (2 threads)")
    ax.set_title("MSA Transformer, 12 layers x 768, 12 heads")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_svg)


if __name__ == "__main__":
    main(*sys.argv[1:4])
