#!/usr/bin/env python3
"""PyTorch side of the foundation benchmark (tools/bench.sh).

The benchmark model: `torch_encoder`, d_model 256, 8 heads, 6 layers, feed-forward 1024, post-LN,
ReLU, sinusoidal positions; one random DNA sequence of L tokens ([CLS] included), batch 1.
Every layer's per-head attention is recorded, as a PyTorch user does it: each layer's
nn.MultiheadAttention is called once with need_weights=True, average_attn_weights=False and its
output goes on through the layer's own modules (no second attention computation).

    bench_torch.py --len L --threads N [--repeats R]   -> one JSON line: time and peak memory
    bench_torch.py --len L --export DIR                -> DIR/config.json, model.safetensors, input.json
"""
import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402


def benchmark_model(length):
    torch.manual_seed(0)
    config = ax.make_config(256, 8, n_layers=6, dim_feedforward=1024, labels=["a", "b"], max_len=length)
    return ax.Classifier(config).eval()


def benchmark_ids(length):
    g = torch.Generator().manual_seed(1)
    return [1] + (torch.randint(3, 7, (length - 1,), generator=g)).tolist()


def layer_recorded(layer, x):
    """One post-LN nn.TransformerEncoderLayer step with its attention weights kept."""
    a, w = layer.self_attn(x, x, x, need_weights=True, average_attn_weights=False)
    x = layer.norm1(x + a)
    x = layer.norm2(x + layer.linear2(layer.activation(layer.linear1(x))))
    return x, w


def forward_recorded(model, ids):
    with torch.inference_mode():
        x = model.embed_tokens(ids)
        store = []
        for layer in model.encoder.layers:
            x, w = layer_recorded(layer, x)
            store.append(w)
        return model.classifier(x[:, 0]), store


def timed_runs(fn, repeats):
    """(cold, best, last result): fn's first (cold) run timed apart, as attnscope-bench does, then the
    best of `repeats` runs."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    best, result = float("inf"), None
    for _ in range(repeats):
        del result  # the previous run's attention is freed before the next one, as attnscope's is
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return cold, best, result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--len", type=int, required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--export")
    args = p.parse_args()
    model = benchmark_model(args.len)
    ids = benchmark_ids(args.len)
    if args.export:
        ax.export(model, args.export)
        with open(os.path.join(args.export, "input.json"), "w") as f:
            json.dump({"ids": ids}, f)
        return
    torch.set_num_threads(args.threads)
    batch = torch.tensor([ids])
    cold, best, _ = timed_runs(lambda: forward_recorded(model, batch), args.repeats)
    flops = ax.flops_per_forward(model.config, args.len)
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "len": args.len, "threads": args.threads,
                      "seconds": best, "cold_seconds": cold, "gflops": flops / best / 1e9,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
