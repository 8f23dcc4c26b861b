#!/usr/bin/env python3
"""Golden data for the trained CT demo model (resources/models/ct_lesion) on the demo study
(resources/data/ct_demo), read by tests/core/TestCtDemoModel.cpp. A SYNTHETIC spherical lesion (the
training script's profile: contrast * erfc edge of sd 1 mm) is added to the study's HU at a centre
given in patient millimetres; the study is resampled to the model grid with F.interpolate
(trilinear, align_corners=False), HU-windowed and run through the PyTorch reference
(tools/ct_model.py), with and without the lesion.

    make_ct_lesion_golden.py --survey N   -> tries N test-split centres, prints P(lesion) and how far
                                             the rollout overlay's maximum lies from the centre
    make_ct_lesion_golden.py --case K     -> writes tests/data/golden/ct_lesion for survey case K

Run with Debian's PyTorch: /usr/bin/python3 tools/make_ct_lesion_golden.py ..."""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
from scipy.special import erfc

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from ct_model import load_ct, load_dicom_study  # noqa: E402
from make_golden import rollout  # noqa: E402
import train_ct  # noqa: E402

MODEL = os.path.join(ROOT, "resources", "models", "ct_lesion")
STUDY = os.path.join(ROOT, "resources", "data", "ct_demo")
OUT = os.path.join(ROOT, "tests", "data", "golden", "ct_lesion")
RADIUS_MM, CONTRAST_HU, EDGE_SD_MM = 8.0, 120.0, 1.0


def load_study():
    """HU [z, y, x] float32, origin (x, y, z) mm of voxel 0, spacing (x, y, z) mm; axis-aligned."""
    return load_dicom_study(STUDY)


def with_lesion(vol, origin, spacing, centre_mm):
    nz, ny, nx = vol.shape
    px = origin[0] + np.arange(nx) * spacing[0]
    py = origin[1] + np.arange(ny) * spacing[1]
    pz = origin[2] + np.arange(nz) * spacing[2]
    d = np.sqrt((pz[:, None, None] - centre_mm[2]) ** 2 + (py[None, :, None] - centre_mm[1]) ** 2
                + (px[None, None, :] - centre_mm[0]) ** 2) - RADIUS_MM
    return (vol.astype(np.float64) + CONTRAST_HU * 0.5 * erfc(d / (math.sqrt(2) * EDGE_SD_MM))).astype(np.float32)


def run(model, vol):
    cfg = model.config
    x = torch.from_numpy(vol)[None, None]
    x = torch.nn.functional.interpolate(x, size=tuple(reversed(cfg["input_size"])), mode="trilinear", align_corners=False)
    lo, hi = cfg["hu_window"]
    x = ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
    with torch.no_grad():
        logits, _, attentions = model.forward_recorded(x)
    roll = rollout(attentions, np.zeros(attentions[0].shape[-1], bool))
    return logits, attentions, roll


def overlay_peak_mm(model, roll, origin, spacing, shape):
    """Patient position (mm) of the maximum of the rollout [CLS] row backprojected to the model grid."""
    cfg = model.config
    overlay = train_ct.backproject(roll[0, 1:], train_ct.backprojection_matrices(cfg))  # [nz, ny, nx]
    k = np.array(np.unravel_index(int(np.argmax(overlay)), overlay.shape))[::-1]  # x, y, z
    n_src = np.array(shape[::-1], float)
    step = spacing * n_src / np.array(cfg["input_size"])
    return origin - 0.5 * spacing + (k + 0.5) * step


def p_lesion(logits):
    e = np.exp(logits - logits.max())
    return float(e[1] / e.sum())


def survey(model, vol, origin, spacing, n):
    place = train_ct.placement_mask(vol, spacing) & (train_ct.split_cells(vol.shape, spacing, train_ct.HYPER["data_seeds"]["cells"]) == 2)
    cand = np.argwhere(place)
    rng = np.random.RandomState(5)
    cases = []
    for i in range(n):
        zyx = cand[rng.randint(len(cand))]
        centre = [round(float(v), 1) for v in origin + zyx[::-1] * spacing]
        logits, _, roll = run(model, with_lesion(vol, origin, spacing, centre))
        peak = overlay_peak_mm(model, roll, origin, spacing, vol.shape)
        dist = float(np.linalg.norm(peak - centre))
        # the test's criterion: within half a token step plus one study voxel of the centre, per axis
        step = spacing * np.array(vol.shape[::-1], float) / np.array(model.config["input_size"]) * token_stride(model)
        nearest = bool(np.all(np.abs(peak - centre) <= 0.5 * step + spacing))
        cases.append({"centre_mm": centre, "p_lesion": p_lesion(logits), "peak_mm": peak.round(2).tolist(), "distance_mm": dist,
                      "peak_in_nearest_token": nearest})
        print(i, json.dumps(cases[-1]))
    detected = sum(c["p_lesion"] > 0.5 for c in cases)
    nearest = sum(c["peak_in_nearest_token"] for c in cases)
    print(f"{n} lesions: detected {detected}, overlay peak in the nearest token {nearest}")
    return cases


def token_stride(model):
    return int(np.prod([s["stride"] for s in model.config["stem"]]))


def write(model, vol, origin, spacing, centre):
    os.makedirs(os.path.join(OUT, "expected"), exist_ok=True)
    plain, _, _ = run(model, vol)
    logits, attentions, roll = run(model, with_lesion(vol, origin, spacing, centre))
    peak = overlay_peak_mm(model, roll, origin, spacing, vol.shape)
    np.save(os.path.join(OUT, "expected", "logits_plain.npy"), plain.astype(np.float32))
    np.save(os.path.join(OUT, "expected", "logits_lesion.npy"), logits.astype(np.float32))
    for i, a in enumerate(attentions):
        np.save(os.path.join(OUT, "expected", "cls_attention_layer_%02d.npy" % i), np.ascontiguousarray(a[:, 0, :]))
    np.save(os.path.join(OUT, "expected", "rollout_cls.npy"), roll[0].astype(np.float32))
    info = {"lesion": {"centre_mm": centre, "radius_mm": RADIUS_MM, "contrast_hu": CONTRAST_HU, "edge_sd_mm": EDGE_SD_MM},
            "p_lesion_plain": p_lesion(plain), "p_lesion_with_lesion": p_lesion(logits),
            "rollout_peak_mm": peak.round(3).tolist(), "peak_distance_mm": float(np.linalg.norm(peak - centre))}
    with open(os.path.join(OUT, "case.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(json.dumps(info, indent=2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--survey", type=int)
    p.add_argument("--case", type=int)
    args = p.parse_args()
    torch.set_num_threads(1)
    model = load_ct(MODEL)
    vol, origin, spacing = load_study()
    if args.survey:
        survey(model, vol, origin, spacing, args.survey)
    elif args.case is not None:
        write(model, vol, origin, spacing, survey(model, vol, origin, spacing, args.case + 1)[args.case]["centre_mm"])
    else:
        p.error("--survey N or --case K")


if __name__ == "__main__":
    main()
