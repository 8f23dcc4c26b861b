#!/usr/bin/env python3
"""Golden MONAI bundles for tests/core/TestMonaiModels.cpp: small ViT classifiers and UNETRs with
random weights, written as MONAI bundles are distributed (configs/inference.json or .yaml with a
network_def, models/model.pt saved by torch.save of the state dict), and the reference's outputs on
a random region: attention [heads, T, T] per layer, the ViT's logits [classes] and UNETR's
segmentation logits [classes, n1, n2, n3]. The networks are tools/monai_networks.py (MONAI's code
re-written; MONAI is not installable here), so the bundles are what MONAI's own classes would save.

Run with Debian's PyTorch: /usr/bin/python3 tools/make_monai_golden.py  (writes tests/data/golden/monai/)"""
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from monai_networks import UNETR, ViT  # noqa: E402
import monai_transforms as mt  # noqa: E402
from ct_model import load_dicom_study  # noqa: E402

STUDY = os.path.join(os.path.dirname(HERE), "resources", "data", "ct_demo")

OUT = os.path.join(os.path.dirname(HERE), "tests", "data", "golden", "monai")

CASES = {
    # A ViT classifier: conv patches, learned positions, Tanh; sizes given through "@" references.
    "vit_conv": dict(kind="vit", config="json", in_channels=1, img_size=[16, 24, 8], patch_size=[8, 8, 4], hidden_size=48,
                     mlp_dim=96, num_layers=3, num_heads=4, proj_type="conv", pos_embed_type="learnable", num_classes=3,
                     post_activation="Tanh", qkv_bias=False, cross=False),
    # Perceptron patches, the sincos table, no Tanh, qkv bias, two channels, MONAI >= 1.4's unused
    # cross-attention tensors, a YAML config with MONAI <= 1.1's "#" references.
    "vit_perceptron": dict(kind="vit", config="yaml", in_channels=2, img_size=[16, 16, 16], patch_size=[8, 8, 8], hidden_size=36,
                           mlp_dim=60, num_layers=2, num_heads=3, proj_type="perceptron", pos_embed_type="sincos", num_classes=2,
                           post_activation="none", qkv_bias=True, cross=True),
    # UNETR as MONAI's current defaults build it: conv patches, conv and residual blocks.
    "unetr_conv": dict(kind="unetr", config="json", in_channels=1, out_channels=3, img_size=[32, 32, 48], feature_size=4,
                       hidden_size=24, mlp_dim=48, num_heads=2, proj_type="conv", conv_block=True, res_block=True, qkv_bias=False,
                       affine=False, cross=False),
    # UNETR as older releases and the tutorials built it: "pos_embed": "perceptron" (the old name of
    # proj_type), no conv blocks, plain blocks, affine instance norms, qkv bias, cross-attention tensors.
    "unetr_perceptron": dict(kind="unetr", config="json", in_channels=1, out_channels=2, img_size=[32, 32, 32], feature_size=4,
                             hidden_size=24, mlp_dim=40, num_heads=4, proj_type="perceptron", conv_block=False, res_block=False,
                             qkv_bias=True, affine=True, cross=True),
}


# Bundles run on the demo study through their preprocessing (tools/monai_transforms.py).
STUDY_CASES = {
    # UNETR: RAS, 3 x 3 x 4 mm, HU [-1000, 1000] -> [0, 1] clipped, foreground crop; a region around a
    # study voxel, and the whole study by Gaussian sliding windows (overlap 0.5).
    "unetr_study": dict(CASES["unetr_conv"], img_size=[32, 32, 48], centre=[64, 60, 30],
                        transforms=[{"_target_": "LoadImaged", "keys": "@image_key"}, {"_target_": "EnsureChannelFirstd", "keys": "image"},
                                    {"_target_": "Orientationd", "keys": "image", "axcodes": "RAS"},
                                    {"_target_": "Spacingd", "keys": ["image"], "pixdim": [3.0, 3.0, 4.0], "mode": "bilinear"},
                                    {"_target_": "ScaleIntensityRanged", "keys": "image", "a_min": -1000, "a_max": 1000, "b_min": 0.0,
                                     "b_max": 1.0, "clip": True},
                                    {"_target_": "CropForegroundd", "keys": "image", "source_key": "image", "margin": 2},
                                    {"_target_": "EnsureTyped", "keys": "image"}],
                        inferer={"_target_": "SlidingWindowInferer", "roi_size": [32, 32, 48], "sw_batch_size": 4, "overlap": 0.5,
                                 "mode": "gaussian"}),
    # A ViT classifier: LPI (a permutation-free flip of z), 4 mm, the study resized to img_size by area.
    "vit_study": dict(CASES["vit_conv"], transforms=[
        {"_target_": "monai.transforms.LoadImaged", "keys": ["image"]},
        {"_target_": "Orientationd", "keys": "image", "axcodes": "LPI"},
        {"_target_": "Spacingd", "keys": "image", "pixdim": 4.0},
        {"_target_": "ScaleIntensityRanged", "keys": "image", "a_min": -200, "a_max": 300, "b_min": -1.0, "b_max": 1.0, "clip": False},
        {"_target_": "Resized", "keys": "image", "spatial_size": [16, 24, 8]},
        {"_target_": "RandFlipd", "keys": "image", "prob": 0.5}], inferer=None, centre=None),
    # The crops and pads that bring a study to a network's size: RAS, 4 mm, a central crop, zero padding
    # (symmetric, then at the end), a crop-or-pad, then area resizing to img_size.
    "vit_croppad": dict(CASES["vit_conv"], transforms=[
        {"_target_": "Orientationd", "keys": "image", "axcodes": "RAS"},
        {"_target_": "Spacingd", "keys": "image", "pixdim": 4.0},
        {"_target_": "ScaleIntensityRanged", "keys": "image", "a_min": -1000, "a_max": 1000, "b_min": 0.0, "b_max": 1.0, "clip": True},
        {"_target_": "CenterSpatialCropd", "keys": "image", "roi_size": [48, 60, -1]},
        {"_target_": "SpatialPadd", "keys": "image", "spatial_size": [52, 60, 48]},
        {"_target_": "SpatialPadd", "keys": "image", "spatial_size": [55, 61, 48], "method": "end"},
        {"_target_": "ResizeWithPadOrCropd", "keys": "image", "spatial_size": [40, 64, 40]},
        {"_target_": "Resized", "keys": "image", "spatial_size": [16, 24, 8]}], inferer=None, centre=None),
}


def write_nifti_labels(path, labels_xyz, affine_ras):
    """A minimal NIfTI-1 (.nii.gz) of uint8 labels with the sform, as nibabel would write it."""
    import gzip
    import struct
    hdr = bytearray(348)
    struct.pack_into("<i", hdr, 0, 348)
    struct.pack_into("<8h", hdr, 40, 3, *labels_xyz.shape, 1, 1, 1, 1)
    struct.pack_into("<hh", hdr, 70, 2, 8)  # datatype uint8, bitpix
    struct.pack_into("<8f", hdr, 76, 1.0, *np.sqrt((affine_ras[:3, :3] ** 2).sum(axis=0)), 1, 1, 1, 1)
    struct.pack_into("<f", hdr, 108, 352.0)
    struct.pack_into("<f", hdr, 112, 1.0)  # scl_slope
    struct.pack_into("<h", hdr, 254, 1)  # sform_code
    for r in range(3):
        struct.pack_into("<4f", hdr, 280 + 16 * r, *affine_ras[r])
    hdr[344:348] = b"n+1\0"
    data = np.asarray(labels_xyz, dtype=np.uint8).transpose(2, 1, 0).tobytes()  # x fastest
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # the same bytes for the same labels
        f.write(bytes(hdr) + b"\0\0\0\0" + data)


def preprocess(case, hu, origin, spacing):
    arr, affine = mt.itk_array(hu, origin, spacing)
    for t in case["transforms"]:
        name = t["_target_"].split(".")[-1]
        if name == "Orientationd":
            arr, affine = mt.orientation(arr, affine, t["axcodes"])
        elif name == "Spacingd":
            pix = t["pixdim"] if isinstance(t["pixdim"], list) else [t["pixdim"]] * 3
            arr, affine = mt.spacing(arr, affine, pix)
        elif name == "ScaleIntensityRanged":
            arr = mt.scale_intensity_range(arr, t["a_min"], t["a_max"], t["b_min"], t["b_max"], t["clip"])
        elif name == "CropForegroundd":
            arr, affine = mt.crop_foreground(arr, affine, t["margin"])
        elif name == "CenterSpatialCropd":
            arr, affine = mt.center_spatial_crop(arr, affine, t["roi_size"])
        elif name == "SpatialPadd":
            arr, affine = mt.spatial_pad(arr, affine, t["spatial_size"], t.get("method", "symmetric"))
        elif name == "ResizeWithPadOrCropd":
            arr, affine = mt.resize_with_pad_or_crop(arr, affine, t["spatial_size"], t.get("method", "symmetric"))
        elif name == "Resized":
            new = affine.copy()  # F.interpolate's geometry: the extent kept
            scale = np.array(arr.shape) / np.array(t["spatial_size"])
            new[:3, :3] = affine[:3, :3] @ np.diag(scale)
            new[:3, 3] = affine[:3, :3] @ (0.5 * scale - 0.5) + affine[:3, 3]
            arr, affine = mt.resize_area(arr, t["spatial_size"]), new
    return arr, affine


def write_study_case(name, case, seed):
    torch.manual_seed(100 + seed)
    model = build(case).eval()
    randomize(model, 200 + seed)
    bundle = os.path.join(OUT, name)
    write_config(bundle, case)
    with open(os.path.join(bundle, "configs", "inference.json")) as f:
        config = json.load(f)
    config["image_key"] = "image"
    config["preprocessing"] = {"_target_": "Compose", "transforms": case["transforms"]}
    if case["inferer"]:
        config["inferer"] = case["inferer"]
    with open(os.path.join(bundle, "configs", "inference.json"), "w") as f:
        json.dump(config, f, indent=2)
    os.makedirs(os.path.join(bundle, "models"))
    torch.save(model.state_dict(), os.path.join(bundle, "models", "model.pt"))
    hu, origin, spacing = load_dicom_study(STUDY)
    study_arr, study_affine = mt.itk_array(hu, origin, spacing)
    arr, affine = preprocess(case, hu, origin, spacing)
    if case["kind"] == "vit":
        region, region_affine = arr, affine
    else:
        region, region_affine = mt.region_around(arr, affine, study_affine, case["centre"], case["img_size"])
    x = torch.from_numpy(np.ascontiguousarray(region))[None, None]
    np.save(os.path.join(bundle, "input.npy"), region[None].astype(np.float32))
    with torch.no_grad():
        if case["kind"] == "vit":
            logits, _, attention = model(x)
            np.save(os.path.join(bundle, "expected_logits.npy"), logits[0].numpy().astype(np.float32))
        else:
            seg, attention = model(x)
            np.save(os.path.join(bundle, "expected_segmentation.npy"), seg[0].numpy().astype(np.float32))
            labels = seg[0].argmax(0).numpy()
            write_nifti_labels(os.path.join(bundle, "expected_region_labels.nii.gz"),
                               mt.labels_onto(labels, region_affine, study_arr.shape, study_affine), study_affine)
            whole = mt.sliding_window(arr, case["img_size"], case["inferer"]["overlap"], case["inferer"]["mode"],
                                      lambda w: model(w[None, None])[0][0])
            write_nifti_labels(os.path.join(bundle, "expected_window_labels.nii.gz"),
                               mt.labels_onto(whole.argmax(0), affine, study_arr.shape, study_affine), study_affine)
    for layer, att in enumerate(attention):
        np.save(os.path.join(bundle, "expected_layer_%02d.npy" % layer), att[0].numpy().astype(np.float32))
    print(name, "preprocessed", arr.shape, "region", region.shape)


def randomize(model, seed):
    """Weights drawn so that attention is far from uniform and every path matters."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue  # the sincos table
            if p.dim() == 1:
                p.copy_((1.0 if "norm" in name and name.endswith("weight") else 0.0) + 0.2 * torch.randn(p.shape, generator=g))
            else:
                fan_in = p[0].numel() if "transp" not in name and not name.endswith(".0.conv.weight") else p.shape[0]
                scale = 1.0
                p.copy_(torch.randn(p.shape, generator=g) * scale / math.sqrt(fan_in))


def network_def(case):
    c = dict(case)
    if c["kind"] == "vit":
        d = {"_target_": "ViT", "in_channels": c["in_channels"], "img_size": "@roi", "patch_size": c["patch_size"],
             "hidden_size": c["hidden_size"], "mlp_dim": c["mlp_dim"], "num_layers": c["num_layers"], "num_heads": c["num_heads"],
             "proj_type": c["proj_type"], "pos_embed_type": c["pos_embed_type"], "classification": True,
             "num_classes": c["num_classes"], "dropout_rate": 0.0, "spatial_dims": 3, "qkv_bias": c["qkv_bias"]}
        d["post_activation"] = c["post_activation"]
        return d
    d = {"_target_": "monai.networks.nets.UNETR", "in_channels": c["in_channels"], "out_channels": c["out_channels"],
         "img_size": "@roi", "feature_size": c["feature_size"], "hidden_size": c["hidden_size"], "mlp_dim": c["mlp_dim"],
         "num_heads": c["num_heads"], "norm_name": ["instance", {"affine": True}] if c["affine"] else "instance",
         "res_block": c["res_block"], "conv_block": c["conv_block"], "dropout_rate": 0.0, "qkv_bias": c["qkv_bias"]}
    d["pos_embed" if c["affine"] else "proj_type"] = c["proj_type"]
    return d


def build(case):
    if case["kind"] == "vit":
        return ViT(case["in_channels"], case["img_size"], case["patch_size"], case["hidden_size"], case["mlp_dim"], case["num_layers"],
                   case["num_heads"], case["proj_type"], case["pos_embed_type"], True, case["num_classes"], case["post_activation"],
                   case["qkv_bias"], case["cross"])
    return UNETR(case["in_channels"], case["out_channels"], case["img_size"], case["feature_size"], case["hidden_size"], case["mlp_dim"],
                 case["num_heads"], case["proj_type"], case["conv_block"], case["res_block"], case["qkv_bias"], case["affine"],
                 case["cross"])


def write_config(bundle, case):
    os.makedirs(os.path.join(bundle, "configs"))
    config = {"imports": ["$import torch"], "bundle_root": ".", "device": "$torch.device('cpu')",
              "roi": case["img_size"], "network_def": network_def(case), "network": "$@network_def.to(@device)"}
    if case["config"] == "yaml":
        config["sizes"] = {"roi": case["img_size"]}
        config["network_def"]["img_size"] = "@sizes#roi"
        with open(os.path.join(bundle, "configs", "inference.yaml"), "w") as f:
            yaml.safe_dump(config, f, sort_keys=False)
    else:
        with open(os.path.join(bundle, "configs", "inference.json"), "w") as f:
            json.dump(config, f, indent=2)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for seed, (name, case) in enumerate(CASES.items()):
        torch.manual_seed(100 + seed)
        model = build(case).eval()
        randomize(model, 200 + seed)
        bundle = os.path.join(OUT, name)
        write_config(bundle, case)
        os.makedirs(os.path.join(bundle, "models"))
        torch.save(model.state_dict(), os.path.join(bundle, "models", "model.pt"))
        x = torch.randn([1, case["in_channels"]] + case["img_size"], generator=torch.Generator().manual_seed(300 + seed))
        with torch.no_grad():
            if case["kind"] == "vit":
                logits, _, attention = model(x)
                np.save(os.path.join(bundle, "expected_logits.npy"), logits[0].numpy().astype(np.float32))
            else:
                seg, attention = model(x)
                np.save(os.path.join(bundle, "expected_segmentation.npy"), seg[0].numpy().astype(np.float32))
        np.save(os.path.join(bundle, "input.npy"), x[0].numpy().astype(np.float32))
        for layer, att in enumerate(attention):
            np.save(os.path.join(bundle, "expected_layer_%02d.npy" % layer), att[0].numpy().astype(np.float32))
        print(name, "tokens", attention[0].shape[-1], "max attention", float(max(a.max() for a in attention)))
    for seed, (name, case) in enumerate(STUDY_CASES.items()):
        with torch.no_grad():
            write_study_case(name, case, 10 + seed)


if __name__ == "__main__":
    main()
