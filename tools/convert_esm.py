#!/usr/bin/env python3
"""Turns a fair-esm MSA Transformer checkpoint (.pt, read with torch.load) into an attnscope
`msa_transformer` directory: config.json and model.safetensors with the names of fair-esm's
MSATransformer.state_dict() (docs/model-format.md).

Usage: /usr/bin/python3 tools/convert_esm.py esm_msa1b_t12_100M_UR50S.pt OUT_DIR [--regression R.pt]

The contact regression is read from R.pt, or from the file beside the checkpoint named
NAME-contact-regression.pt, as fair-esm does; without it the directory cannot be written (the
contact head is part of the format). What fair-esm's loader does to a raw checkpoint, done here:
- tensor names lose their "encoder." and "sentence_encoder." prefixes;
- the raw files name the row and column attention modules the other way round: they are swapped;
- the arguments lose their "encoder_" prefix (encoder_layers -> layers, ...).
Needs Debian's python3-torch; tools/attnscope_export.py writes the safetensors file.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402

ALPHABET = (["<cls>", "<pad>", "<eos>", "<unk>"] + list("LAGVSERTIDPKQNFYMHWCXBUZO.-") + ["<null_1>", "<mask>"])


def upgraded_name(name):
    """A raw checkpoint's tensor name as MSATransformer.state_dict() has it."""
    if "row" in name:
        name = name.replace("row", "column")
    else:
        name = name.replace("column", "row")
    for prefix in ("encoder.sentence_encoder.", "encoder.", "sentence_encoder."):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return name


def arguments(args):
    """The checkpoint's argparse Namespace as a dict, "encoder_" dropped from the names."""
    out = {}
    for key, value in vars(args).items():
        out[key.split("encoder_", 1)[1] if "encoder_" in key else key] = value
    return out


def convert(checkpoint_path, out_dir, regression_path=None):
    data = torch.load(checkpoint_path, map_location="cpu")
    if regression_path is None:
        regression_path = checkpoint_path[:-3] + "-contact-regression.pt"
    if not os.path.exists(regression_path):
        raise SystemExit(f"{regression_path}: the contact regression is missing (give --regression)")
    state = {upgraded_name(k): v for k, v in data["model"].items()}
    state.update(torch.load(regression_path, map_location="cpu")["model"])
    args = arguments(data["args"])
    if args.get("arch", "msa_transformer") != "msa_transformer":
        raise SystemExit(f"{checkpoint_path}: architecture {args.get('arch')!r}, not msa_transformer")
    if "lm_head.weight" not in state:
        state["lm_head.weight"] = state["embed_tokens.weight"]  # tied
    config = {"family": "msa_transformer", "layers": int(args["layers"]), "embed_dim": int(args["embed_dim"]),
              "ffn_embed_dim": int(args["ffn_embed_dim"]), "attention_heads": int(args["attention_heads"]),
              "max_positions": int(args["max_positions"]), "vocab": ALPHABET}
    os.makedirs(out_dir, exist_ok=True)
    tensors = {k: v.detach().float().numpy() for k, v in state.items() if torch.is_floating_point(v)}
    ax.save_safetensors(tensors, os.path.join(out_dir, "model.safetensors"))
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    return config, tensors


def self_check():
    """Round trip on a small random model: raw names in, the reference's state_dict() out."""
    import tempfile
    from argparse import Namespace

    import protein_models as pm
    model = pm.MsaTransformer(2, 16, 32, 4, max_positions=20)
    clean = {k: v for k, v in model.state_dict().items()}
    raw = {}
    for k, v in clean.items():
        if k.startswith("contact_head."):
            continue
        swapped = k.replace("row", "@").replace("column", "row").replace("@", "column")
        raw["encoder." + swapped] = v
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = os.path.join(tmp, "tiny.pt")
        torch.save({"model": raw, "args": Namespace(arch="msa_transformer", encoder_layers=2, encoder_embed_dim=16,
                                                    encoder_ffn_embed_dim=32, encoder_attention_heads=4, max_positions=20)}, ckpt)
        torch.save({"model": {k: v for k, v in clean.items() if k.startswith("contact_head.")}},
                   os.path.join(tmp, "tiny-contact-regression.pt"))
        config, tensors = convert(ckpt, os.path.join(tmp, "out"))
    assert set(tensors) == set(clean), set(tensors) ^ set(clean)
    for k, v in clean.items():
        assert np.array_equal(tensors[k], v.numpy()), k
    assert config["layers"] == 2 and config["embed_dim"] == 16 and config["attention_heads"] == 4
    print(f"convert_esm self-check: {len(tensors)} tensors round-trip, rows and columns swapped back")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("checkpoint", nargs="?")
    p.add_argument("out", nargs="?")
    p.add_argument("--regression", help="the contact regression .pt (default: beside the checkpoint)")
    p.add_argument("--self-check", action="store_true", help="convert a small random model written with raw names, and compare")
    a = p.parse_args()
    if a.self_check:
        return self_check()
    if not a.checkpoint or not a.out:
        p.error("give CHECKPOINT and OUT (or --self-check)")
    config, tensors = convert(a.checkpoint, a.out, a.regression)
    print(f"{a.out}: {len(tensors)} tensors, {config['layers']} layers, width {config['embed_dim']}")


if __name__ == "__main__":
    main()
