#!/usr/bin/env python3
"""Turns the JSON lines of tools/bench_ct.sh into ratios against PyTorch, per model, and checks
that both sides computed the same logits. Standard library only."""
import json
import platform
import sys


def main(results_path, out_path):
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    report = {"machine": platform.processor() or platform.machine(), "models": {}}
    print(f"{'model':>10} {'tokens':>6} {'torch s':>8} {'attn s':>8} {'time ratio':>10} {'cold ratio':>10} "
          f"{'torch MB':>9} {'attn MB':>8} {'peak ratio':>10} {'+MB torch':>9} {'+MB attn':>8} {'+MB ratio':>9}")
    for torch in (r for r in rows if r["impl"] == "pytorch_ct_model"):
        ours = next(r for r in rows if r["impl"] == "attnscope_ct_model" and r["model"] == torch["model"])
        diff = max(abs(a - b) for a, b in zip(ours["logits"], torch["logits"]))
        if diff > 1e-3:
            sys.exit(f"bench_ct_report: logits differ by {diff} for {torch['model']}")
        name = "ct_lesion" if torch["model"].endswith("ct_lesion") else "ct_large"
        grown = {k: r["peak_rss_mb"] - r["resident_before_mb"] for k, r in (("torch", torch), ("ours", ours))}
        entry = {"pytorch": torch, "attnscope": ours, "tokens": ours["tokens"], "logit_max_abs_diff": diff,
                 "time_ratio": ours["seconds"] / torch["seconds"],
                 "cold_time_ratio": ours["cold_seconds"] / torch["cold_seconds"],
                 "peak_memory_ratio": ours["peak_rss_mb"] / torch["peak_rss_mb"],
                 "memory_growth_ratio": grown["ours"] / grown["torch"]}
        report["models"][name] = entry
        print(f"{name:>10} {ours['tokens']:>6} {torch['seconds']:>8.4f} {ours['seconds']:>8.4f} {entry['time_ratio']:>10.3f} "
              f"{entry['cold_time_ratio']:>10.3f} {torch['peak_rss_mb']:>9.0f} {ours['peak_rss_mb']:>8.0f} "
              f"{entry['peak_memory_ratio']:>10.3f} {grown['torch']:>9.0f} {grown['ours']:>8.0f} {entry['memory_growth_ratio']:>9.3f}")
    report["notes"] = ("peak = the process's peak resident set; +MB = peak minus the resident set with the model and "
                       "the study loaded, before the first run (PyTorch's own libraries are about 250 MB of its peak)")
    with open(out_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
