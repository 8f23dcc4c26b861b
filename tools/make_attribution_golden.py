#!/usr/bin/env python3
"""Writes tests/data/golden/attributions: for the golden model of each family whose PyTorch reference
can be traced (tools/attributions.py), every layer's Attn-N, GlobEnc and ALTI matrices and their
roll-outs from the first token, as the published formulas give them.

Traced families: nn.TransformerEncoderLayer's (tools/head_edits.py) pre-LN, and post-LN with padding,
encoders and the CT and EHR classifiers built on them; post-LN BERT (DNABERT-1 k-mers,
tools/attnscope_export.py), ProtBert and DNABERT-2 (ALiBi, gated feed-forward; both
tools/make_sequence_golden.py); pre-LN ESM-2 and the Nucleotide Transformer v2 (rotary, gated
feed-forward; tools/protein_models.py); MONAI's ViT and UNETR (pre-LN; tools/monai_networks.py).
The MSA Transformer (tools/protein_models.py): the query row's row attention, a pre-LN sublayer with
tied weights; column attention and the feed-forward are outside the decomposition (docs/attributions.md).

    /usr/bin/python3 tools/make_attribution_golden.py

The references run through the same code path as tools/make_intervention_golden.py (with no edits),
and must first give their golden directory's outputs (1e-5). Per family: attn_n.npy, globenc.npy,
alti.npy [layers, T, T]; globenc_rollout.npy, alti_rollout.npy [T]; reconstruction.json (each
layer's reconstruction error in float64, which must be below 1e-6: the references run in float32).
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import attributions  # noqa: E402
import head_edits  # noqa: E402
import make_intervention_golden as mig  # noqa: E402

OUT = os.path.join(mig.GOLDEN, "attributions")

# tools/make_intervention_golden.py's families
FAMILIES = ["torch_encoder_preln", "torch_encoder_postln_padded", "ct_encoder", "ehr_encoder", "bert", "esm",
            "nucleotide_transformer_v2", "protbert", "dnabert2", "monai_vit", "monai_unetr", "msa_transformer"]


def write_family(name):
    run, expected, (count, _) = mig.FAMILIES[name]()
    with head_edits.editing([]), attributions.traced() as trace:
        same = mig.biggest_difference(run(), expected)
    assert same < 1e-5, f"{name}: the traced path differs from the golden files by {same}"
    assert len(trace) == count, f"{name}: {len(trace)} layers traced, the model has {count}"
    layers = [attributions.decompose(t) for t in trace]
    errors = [layer["error"] for layer in layers]
    assert max(errors) < 1e-6, f"{name}: a decomposition does not add up: {errors}"
    d = os.path.join(OUT, name)
    os.makedirs(d)
    for method in ("attn_n", "globenc", "alti"):
        stack = [layer[method] for layer in layers]
        np.save(os.path.join(d, f"{method}.npy"), torch.stack(stack).numpy().astype(np.float32))
        if method != "attn_n":
            np.save(os.path.join(d, f"{method}_rollout.npy"), attributions.rolled_out(stack).numpy().astype(np.float32))
    json.dump({"reconstruction_error": errors}, open(os.path.join(d, "reconstruction.json"), "w"))
    print(f"{name}: {len(layers)} layers, {layers[0]['attn_n'].shape[0]} tokens, reconstruction error up to {max(errors):.3g}")


def main():
    torch.set_num_threads(1)
    shutil.rmtree(OUT, ignore_errors=True)
    for name in FAMILIES:
        write_family(name)


if __name__ == "__main__":
    main()
