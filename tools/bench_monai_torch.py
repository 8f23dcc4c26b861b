#!/usr/bin/env python3
"""The PyTorch side of tools/bench_monai.sh: MONAI's UNETR with a ViT-B encoder (96^3 region, 16^3
patches, 768 wide, 12 layers of 12 heads, feature size 16, 14 labels as MONAI's BTCV bundle) on the
demo head CT, through MONAI's preprocessing (tools/monai_transforms.py) and network
(tools/monai_networks.py: MONAI's code re-written; MONAI is not installable here).

  bench_monai_torch.py --export DIR                 writes the bundle (random weights) attnscope opens
  bench_monai_torch.py --run DIR --study DICOM_DIR [--whole] [--repeats N]
        times preprocessing + the region's forward pass with every head's attention kept (and, with
        --whole, sliding windows over the whole study), prints one JSON line: seconds (best of N
        after a cold run), peak RSS, the run's GFLOP (convolutions, products and attention, counted
        by hooks) and the labels' counts.
Run with Debian's PyTorch: /usr/bin/python3 tools/bench_monai_torch.py ..."""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import monai_transforms as mt  # noqa: E402
from ct_model import load_dicom_study  # noqa: E402
from monai_networks import UNETR  # noqa: E402

ROI = [96, 96, 96]
NETWORK = {"_target_": "UNETR", "in_channels": 1, "out_channels": 14, "img_size": ROI, "feature_size": 16, "hidden_size": 768,
           "mlp_dim": 3072, "num_heads": 12, "proj_type": "perceptron", "norm_name": "instance", "res_block": True,
           "conv_block": True, "dropout_rate": 0.0}
TRANSFORMS = [{"_target_": "LoadImaged", "keys": ["image"]}, {"_target_": "EnsureChannelFirstd", "keys": ["image"]},
              {"_target_": "Orientationd", "keys": ["image"], "axcodes": "RAS"},
              {"_target_": "Spacingd", "keys": ["image"], "pixdim": [1.5, 1.5, 2.0], "mode": "bilinear"},
              {"_target_": "ScaleIntensityRanged", "keys": ["image"], "a_min": -175, "a_max": 250, "b_min": 0.0, "b_max": 1.0,
               "clip": True},
              {"_target_": "CropForegroundd", "keys": ["image"], "source_key": "image"}]
INFERER = {"_target_": "SlidingWindowInferer", "roi_size": ROI, "sw_batch_size": 1, "overlap": 0.5, "mode": "gaussian"}


def build():
    kw = {k: v for k, v in NETWORK.items() if k not in ("_target_", "img_size", "norm_name", "dropout_rate")}
    return UNETR(img_size=ROI, **kw).eval()


def export(directory):
    torch.manual_seed(0)
    model = build()
    os.makedirs(os.path.join(directory, "configs"), exist_ok=True)
    os.makedirs(os.path.join(directory, "models"), exist_ok=True)
    with open(os.path.join(directory, "configs", "inference.json"), "w") as f:
        json.dump({"network_def": NETWORK, "preprocessing": {"_target_": "Compose", "transforms": TRANSFORMS}, "inferer": INFERER},
                  f, indent=2)
    torch.save(model.state_dict(), os.path.join(directory, "models", "model.pt"))


def preprocess(study):
    hu, origin, spacing = load_dicom_study(study)
    arr, affine = mt.itk_array(hu, origin, spacing)
    arr, affine = mt.orientation(arr, affine, "RAS")
    arr, affine = mt.spacing(arr, affine, [1.5, 1.5, 2.0])
    arr = mt.scale_intensity_range(arr, -175, 250, 0.0, 1.0, True)
    arr, affine = mt.crop_foreground(arr, affine, 0)
    centre = [n // 2 for n in hu.shape[::-1]]  # the study's centre voxel (x, y, z), as attnscope's default
    study_affine = mt.itk_array(hu, origin, spacing)[1]
    region, _ = mt.region_around(arr, affine, study_affine, centre, ROI)
    return arr, region


def flops(model, x):
    """Multiply-add FLOPs (2 each) of one forward pass: convolutions, linear layers, attention products."""
    total = [0]

    def conv(m, inp, out):
        total[0] += 2 * out.numel() * (m.in_channels // m.groups) * int(np.prod(m.kernel_size))

    def tconv(m, inp, out):
        total[0] += 2 * inp[0].numel() * m.out_channels * int(np.prod(m.kernel_size))

    def linear(m, inp, out):
        total[0] += 2 * out.numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv3d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.ConvTranspose3d):
            hooks.append(m.register_forward_hook(tconv))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(linear))
    with torch.no_grad():
        _, attention = model(x)
    for h in hooks:
        h.remove()
    tokens, d = attention[0].shape[-1], model.hidden_size
    return total[0] + len(attention) * 2 * 2 * tokens * tokens * d


def run(directory, study, whole, repeats):
    torch.set_num_threads(2)
    model = build()
    model.load_state_dict(torch.load(os.path.join(directory, "models", "model.pt")))
    counts = []

    def once():
        arr, region = preprocess(study)
        with torch.no_grad():
            seg, attention = model(torch.from_numpy(np.ascontiguousarray(region))[None, None])
            labels = seg[0].argmax(0)
            if whole:
                labels = torch.from_numpy(mt.sliding_window(arr, ROI, 0.5, "gaussian", lambda w: model(w[None, None])[0][0]).argmax(0))
        counts[:] = np.bincount(labels.numpy().ravel(), minlength=14).tolist()
        return attention

    t0 = time.perf_counter()
    once()
    cold = time.perf_counter() - t0
    best = 1e30
    for _ in range(repeats):
        t0 = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - t0)
    arr, region = preprocess(study)
    gflop = flops(model, torch.from_numpy(np.ascontiguousarray(region))[None, None]) / 1e9
    windows = int(np.prod([len(mt_starts(n, r)) for n, r in zip(arr.shape, ROI)])) if whole else 0
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(), "sliding_window": whole,
                      "seconds": best, "cold_seconds": cold, "region_gflop": gflop, "windows": windows,
                      "preprocessed": list(arr.shape), "label_counts": counts,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def mt_starts(n, r, overlap=0.5):
    n = max(n, r)
    interval = r if n == r else max(int(r * (1 - overlap)), 1)
    scan = next(d for d in range(n) if d * interval + r >= n) + 1
    return [min(d * interval, n - r) for d in range(scan)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--export")
    ap.add_argument("--run")
    ap.add_argument("--study")
    ap.add_argument("--whole", action="store_true")
    ap.add_argument("--repeats", type=int, default=2)
    a = ap.parse_args()
    if a.export:
        export(a.export)
    else:
        run(a.run, a.study, a.whole, a.repeats)


if __name__ == "__main__":
    main()
