#!/usr/bin/env python3
"""Trains the demo UNETR bundle (resources/models/unetr_head) on the demo head CT (resources/data/ct_demo).

What it segments is derived from the study itself, by Hounsfield units: air (below -500 HU), soft
tissue (-500 to 300 HU) and bone (300 HU and above), on the study as the bundle preprocesses it (RAS,
2 x 2 x 3 mm, HU [-1000, 1000] scaled to [0, 1]). A network that learns three HU thresholds has no
clinical value: it is there so that attnscope's UNETR path (bundle, preprocessing, attention,
segmentation, sliding windows) can be seen on a real study with a model whose output is checkable.

The loss leaves out a band of axial slices; the Dice on those held-out slices, from a sliding-window
prediction over the whole study, is printed and written into the bundle's metadata.json. The window
(64 x 64 x 32 voxels) is much shorter than the study (54 slices), so every row of the window is
trained on other slices: a ViT's learned positions would otherwise leave the rows that always fall
in the band untrained.
MONAI is not installable here: the network is tools/monai_networks.py (MONAI's UNETR re-written with
MONAI's parameter names), so models/model.pt is what MONAI's UNETR would load.

Run with Debian's PyTorch: /usr/bin/python3 tools/train_unetr.py [--steps N]"""
import argparse
import json
import os
import shutil
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import monai_transforms as mt  # noqa: E402
from ct_model import load_dicom_study  # noqa: E402
from monai_networks import UNETR  # noqa: E402

STUDY = os.path.join(ROOT, "resources", "data", "ct_demo")
OUT = os.path.join(ROOT, "resources", "models", "unetr_head")
ROI = [64, 64, 32]
PIXDIM = [2.0, 2.0, 3.0]
NAMES = ["air", "soft tissue", "bone"]
HELD_OUT = (30, 40)  # preprocessed axial slices [30, 40) never enter the loss
NETWORK = {"_target_": "UNETR", "in_channels": 1, "out_channels": 3, "img_size": "@roi_size", "feature_size": 8, "hidden_size": 96,
           "mlp_dim": 192, "num_heads": 4, "proj_type": "conv", "norm_name": "instance", "res_block": True, "conv_block": True,
           "dropout_rate": 0.0}


def prepared():
    hu, origin, spacing = load_dicom_study(STUDY)
    arr, affine = mt.itk_array(hu, origin, spacing)
    arr, affine = mt.orientation(arr, affine, "RAS")
    arr, affine = mt.spacing(arr, affine, PIXDIM)
    labels = np.where(arr < -500, 0, np.where(arr < 300, 1, 2)).astype(np.int64)
    image = mt.scale_intensity_range(arr, -1000, 1000, 0.0, 1.0, True)
    return image, labels


def build():
    kw = {k: v for k, v in NETWORK.items() if k not in ("_target_", "img_size", "norm_name", "dropout_rate")}
    return UNETR(img_size=ROI, **kw)


def train(model, image, labels, steps, seed=0):
    g = np.random.default_rng(seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mask = np.ones(image.shape, dtype=np.float32)
    mask[:, :, HELD_OUT[0]:HELD_OUT[1]] = 0
    start = time.time()
    for step in range(steps):
        s = [int(g.integers(0, n - r + 1)) for n, r in zip(image.shape, ROI)]
        sl = tuple(slice(a, a + r) for a, r in zip(s, ROI))
        x = torch.from_numpy(np.ascontiguousarray(image[sl]))[None, None]
        y = torch.from_numpy(np.ascontiguousarray(labels[sl]))[None]
        m = torch.from_numpy(np.ascontiguousarray(mask[sl]))[None]
        logits, _ = model(x)
        loss = (torch.nn.functional.cross_entropy(logits, y, reduction="none") * m).sum() / m.sum().clamp(min=1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f} ({time.time() - start:.0f} s)", flush=True)


def dice(model, image, labels):
    model.eval()
    with torch.no_grad():
        logits = mt.sliding_window(image, ROI, 0.25, "gaussian", lambda w: model(w[None, None])[0][0])
    pred = logits.argmax(0)
    held = (slice(None), slice(None), slice(*HELD_OUT))
    return {NAMES[c]: float(2 * ((pred[held] == c) & (labels[held] == c)).sum() / max(1, (pred[held] == c).sum() + (labels[held] == c).sum()))
            for c in range(3)}


def write_bundle(model, scores, steps):
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "configs"))
    os.makedirs(os.path.join(OUT, "models"))
    os.makedirs(os.path.join(OUT, "docs"))
    transforms = [{"_target_": "LoadImaged", "keys": "image"}, {"_target_": "EnsureChannelFirstd", "keys": "image"},
                  {"_target_": "Orientationd", "keys": "image", "axcodes": "RAS"},
                  {"_target_": "Spacingd", "keys": "image", "pixdim": PIXDIM, "mode": "bilinear"},
                  {"_target_": "ScaleIntensityRanged", "keys": "image", "a_min": -1000, "a_max": 1000, "b_min": 0.0, "b_max": 1.0,
                   "clip": True},
                  {"_target_": "EnsureTyped", "keys": "image"}]
    inference = {"imports": ["$import torch"], "bundle_root": ".", "device": "$torch.device('cpu')", "roi_size": ROI,
                 "network_def": NETWORK, "network": "$@network_def.to(@device)",
                 "preprocessing": {"_target_": "Compose", "transforms": transforms},
                 "inferer": {"_target_": "SlidingWindowInferer", "roi_size": "@roi_size", "sw_batch_size": 1, "overlap": 0.25,
                             "mode": "gaussian"}}
    with open(os.path.join(OUT, "configs", "inference.json"), "w") as f:
        json.dump(inference, f, indent=2)
    metadata = {"version": "0.1.0", "name": "attnscope demo: head CT air / soft tissue / bone UNETR",
                "description": "Segments air, soft tissue and bone by Hounsfield unit on the attnscope demo head CT. A demo of the "
                               "UNETR path, of no clinical value: the labels are HU thresholds.",
                "training": {"study": "resources/data/ct_demo", "steps": steps, "held_out_axial_slices": list(HELD_OUT),
                             "dice_held_out": scores},
                "network_data_format": {"inputs": {"image": {"type": "image", "num_channels": 1, "spatial_shape": ROI}},
                                        "outputs": {"pred": {"type": "image", "num_channels": 3,
                                                             "channel_def": {str(i): n for i, n in enumerate(NAMES)}}}}}
    with open(os.path.join(OUT, "configs", "metadata.json"), "w") as f:
        json.dump(metadata, f, indent=2)
    torch.save(model.state_dict(), os.path.join(OUT, "models", "model.pt"))
    with open(os.path.join(OUT, "docs", "README.md"), "w") as f:
        f.write(__doc__ + "\nDice on the held-out slices: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=300)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    image, labels = prepared()
    print("preprocessed study", image.shape, "label counts", np.bincount(labels.ravel()))
    model = build()
    train(model, image, labels, args.steps)
    scores = dice(model, image, labels)
    print("Dice on held-out slices", scores)
    write_bundle(model, scores, args.steps)


if __name__ == "__main__":
    main()
