#!/usr/bin/env python3
"""PyTorch side of the CT model benchmark (tools/bench_ct.sh): the same ct_encoder model
(tools/ct_model.py, weights read from the model directory) on the same DICOM study (read with
pydicom, outside the timing). Timed, as attnscope-bench ct times it: trilinear resampling to the
model grid (F.interpolate, align_corners=False), the HU window, the conv stem, the encoder with
every layer's per-head attention recorded (need_weights=True, average_attn_weights=False), and the
classifier. Batch 1.

    bench_ct_torch.py --model DIR --study DIR --threads N [--repeats R] -> one JSON line
    bench_ct_torch.py --export DIR   -> a larger random ct_encoder (128 x 128 x 64 input, 3 stride-2
                                        stages, 16 x 16 x 8 = 2048 image tokens, d_model 128, 4 heads,
                                        4 layers) with eval-mode batch-norm statistics
Run with Debian's PyTorch: /usr/bin/python3."""
import argparse
import json
import os
import resource
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_torch import timed_runs  # noqa: E402
from ct_model import CtReference, export_ct, load_ct, load_dicom_study, make_ct_config  # noqa: E402


def load_study(directory):
    """HU volume [z, y, x] as a float32 tensor (tools/ct_model.py reads it as attnscope does)."""
    return torch.from_numpy(load_dicom_study(directory)[0])


def resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def run(model, volume):
    cfg = model.config
    with torch.inference_mode():
        x = torch.nn.functional.interpolate(volume[None, None], size=tuple(reversed(cfg["input_size"])), mode="trilinear",
                                            align_corners=False)
        lo, hi = cfg["hu_window"]
        x = ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        h = model.tokens(x)
        store = []
        for layer in model.encoder.layers:
            a = layer.norm1(h) if layer.norm_first else h
            out, w = layer.self_attn(a, a, a, need_weights=True, average_attn_weights=False)
            store.append(w)
            if layer.norm_first:  # the layer's own modules on the attention output just computed
                h = h + out
                h = h + layer.linear2(layer.activation(layer.linear1(layer.norm2(h))))
            else:
                h = layer.norm1(h + out)
                h = layer.norm2(h + layer.linear2(layer.activation(layer.linear1(h))))
        if model.encoder.norm is not None:
            h = model.encoder.norm(h)
        return model.classifier(h[:, 0])[0], store


def export_large(directory):
    torch.manual_seed(3)
    stem = [{"channels": c, "kernel": 3, "stride": 2, "padding": 1} for c in (16, 32, 64)]
    config = make_ct_config((128, 128, 64), stem, 128, 4, 4, 512, ["a", "b"], hu_window=(-1000, 1000))
    model = CtReference(config).eval()
    with torch.no_grad():  # batch-norm statistics that are not the identity
        for stage in model.stem:
            stage.norm.running_mean.uniform_(-0.1, 0.1)
            stage.norm.running_var.uniform_(0.5, 2.0)
    export_ct(model, directory)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model")
    p.add_argument("--study")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--export")
    args = p.parse_args()
    if args.export:
        export_large(args.export)
        return
    torch.set_num_threads(args.threads)
    model = load_ct(args.model)
    volume = load_study(args.study)
    before = resident_mb()
    cold, best, (logits, _) = timed_runs(lambda: run(model, volume), args.repeats)
    print(json.dumps({"impl": "pytorch_ct_model", "torch": torch.__version__, "model": args.model, "study": args.study,
                      "threads": args.threads, "seconds": best, "cold_seconds": cold, "logits": logits.tolist(),
                      "resident_before_mb": before,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
