#!/usr/bin/env python3
"""Pairs tools/bench_monai.sh's measurements (PyTorch, then attnscope, for region and whole) and
writes the ratios, the GEMM rate and what it allows: the region's FLOPs (counted on the PyTorch
side) at Eigen's GEMM rate measured between attnscope's runs, against PyTorch's time."""
import json
import sys


def label_difference(torch_row, ours):
    """Half the summed differences of the label counts: a lower bound of the voxels labelled differently."""
    a, b = torch_row["label_counts"], ours["label_counts"]
    b = b + [0] * (len(a) - len(b))
    return sum(abs(x - y) for x, y in zip(a, b)) // 2


def main(path, out):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    report = []
    for torch_row, ours in zip(rows[0::2], rows[1::2]):
        mode = "whole" if torch_row["sliding_window"] else "region"
        region_runs = 1 + torch_row["windows"]  # the region, then each window: the same network
        gflop = torch_row["region_gflop"] * region_runs
        at_gemm = gflop / ours["gemm_gflops_between_runs"]
        entry = {"mode": mode, "pytorch_seconds": torch_row["seconds"], "attnscope_seconds": ours["seconds"],
                 "time_ratio": ours["seconds"] / torch_row["seconds"], "pytorch_peak_mb": torch_row["peak_rss_mb"],
                 "attnscope_peak_mb": ours["peak_rss_mb"], "memory_ratio": ours["peak_rss_mb"] / torch_row["peak_rss_mb"],
                 "network_runs": region_runs, "gflop": gflop, "gemm_gflops": ours["gemm_gflops_between_runs"],
                 "attnscope_gflops": gflop / ours["seconds"], "share_of_gemm_rate": at_gemm / ours["seconds"],
                 "ratio_at_gemm_rate": at_gemm / torch_row["seconds"], "label_count_difference": label_difference(torch_row, ours),
                 "pytorch": torch_row, "attnscope": ours}
        report.append(entry)
        print(f"{mode}: PyTorch {torch_row['seconds']:.2f} s {torch_row['peak_rss_mb']:.0f} MB, attnscope {ours['seconds']:.2f} s "
              f"{ours['peak_rss_mb']:.0f} MB: time {entry['time_ratio']:.2f}x, memory {entry['memory_ratio']:.2f}x; "
              f"{gflop:.0f} GFLOP at {entry['attnscope_gflops']:.0f} GFLOP/s = {100 * entry['share_of_gemm_rate']:.0f} % of the GEMM "
              f"rate {ours['gemm_gflops_between_runs']:.0f} (at that rate {entry['ratio_at_gemm_rate']:.2f}x); voxels whose label "
              f"count differs: at least {entry['label_count_difference']} of {sum(torch_row['label_counts'])}")
    with open(out, "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
