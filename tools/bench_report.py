#!/usr/bin/env python3
"""Turns the JSON lines of tools/bench.sh into ratios against the named references
and the foundation issue's targets. Standard library only."""
import json
import platform
import sys


def main(results_path, out_path):
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    gemm = next(r for r in rows if r["impl"] == "eigen_gemm")
    report = {"machine": platform.processor() or platform.machine(), "threads": gemm["threads"],
              "eigen_gemm_gflops": gemm["gflops"], "lengths": {}}
    print(f"Eigen float32 GEMM 2048^3: {gemm['gflops']:.0f} GFLOP/s on {gemm['threads']} threads")
    print(f"{'L':>5} {'torch s':>8} {'f32 s':>7} {'f16 s':>7} {'f32/torch':>10} {'f16/torch':>10} {'% GEMM':>7} "
          f"{'torch MB':>9} {'f16 MB':>7} {'mem f16/torch':>14} {'cold f32/torch':>15}")
    for length in sorted({r["len"] for r in rows if "len" in r}):
        torch = next(r for r in rows if r["impl"] == "pytorch" and r["len"] == length)
        f32 = next(r for r in rows if r["impl"] == "attnscope" and r["len"] == length and r["store"] == "f32")
        f16 = next(r for r in rows if r["impl"] == "attnscope" and r["len"] == length and r["store"] == "f16")
        entry = {
            "pytorch": torch, "attnscope_f32": f32, "attnscope_f16": f16,
            "time_ratio_f32": f32["seconds"] / torch["seconds"],
            "time_ratio_f16": f16["seconds"] / torch["seconds"],
            "cold_time_ratio_f32": f32["cold_seconds"] / torch["cold_seconds"],
            "fraction_of_gemm_rate_f32": f32["gflops"] / gemm["gflops"],
            "peak_memory_ratio_f16": f16["peak_rss_mb"] / torch["peak_rss_mb"],
            "targets": {"time_ratio": "<= 0.5", "fraction_of_gemm_rate": ">= 0.40",
                        "peak_memory_ratio_f16_at_2048": "<= 0.6"},
        }
        report["lengths"][str(length)] = entry
        print(f"{length:>5} {torch['seconds']:>8.3f} {f32['seconds']:>7.3f} {f16['seconds']:>7.3f} "
              f"{entry['time_ratio_f32']:>10.3f} {entry['time_ratio_f16']:>10.3f} {100 * entry['fraction_of_gemm_rate_f32']:>6.0f}% "
              f"{torch['peak_rss_mb']:>9.0f} {f16['peak_rss_mb']:>7.0f} {entry['peak_memory_ratio_f16']:>14.3f} "
              f"{entry['cold_time_ratio_f32']:>15.3f}")
    with open(out_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
