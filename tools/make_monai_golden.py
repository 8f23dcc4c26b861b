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


if __name__ == "__main__":
    main()
