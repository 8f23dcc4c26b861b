#!/usr/bin/env python3
"""Writes tests/data/golden/proteins/: small random protein models of both families, the input
each runs on, and what the PyTorch references of tools/protein_models.py give for it.

Usage: /usr/bin/python3 tools/make_protein_golden.py [OUT_DIR]
Read by tests/core/TestProteinModels.cpp and tests/cli/TestCli.cpp (see the README there).
"""
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protein_models as pm  # noqa: E402

AMINO = "ACDEFGHIKLMNPQRSTVWY"


def random_msa(rng, rows, columns, insertions=False):
    """An A3M-like MSA: the query first; X and gaps in some rows; lowercase insertions if asked."""
    query = "".join(rng.choice(list(AMINO), columns))
    query = query[:3] + "X" + query[4:]
    lines, aligned = [], []
    for r in range(rows):
        row = list(query)
        if r > 0:
            for c in range(columns):
                u = rng.random()
                if u < 0.25:
                    row[c] = rng.choice(list(AMINO))
                elif u < 0.35:
                    row[c] = "-"
        aligned.append("".join(row))
        text = "".join(row)
        if insertions and r > 0 and r % 2 == 0:
            text = text[:5] + "kl" + text[5:9] + "." + text[9:]
        lines.append(f">seq{r}{' query' if r == 0 else ''}\n{text}")
    return "\n".join(lines) + "\n", aligned


def sharpen_(model, factor):
    """Scales the query and key projections so that heads are sharper than at initialisation."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("q_proj.weight", "k_proj.weight", "query.weight", "key.weight")):
                p.mul_(factor)


def msa_case(out, name, seed, rows, columns, layers, dim, ffn, heads, insertions, model_from=None):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    directory = os.path.join(out, name)
    if model_from:
        model = model_from
    else:
        model = pm.MsaTransformer(layers, dim, ffn, heads, max_positions=40).eval()
        pm.perturb_(model, seed=seed)
        sharpen_(model, 3.0)
        pm.export(model, os.path.join(directory, "model"))  # a case with model_from reuses that case's
    os.makedirs(directory, exist_ok=True)
    text, aligned = random_msa(rng, rows, columns, insertions)
    with open(os.path.join(directory, "input.a3m"), "w") as f:
        f.write(text)
    tokens = torch.tensor([[pm.CLS] + pm.encode(r) for r in aligned])
    with torch.no_grad():
        result = model(tokens)
    for key in ("row_attention", "column_attention", "logits", "contacts"):
        pm.save_npy(os.path.join(directory, "expected", key + ".npy"), result[key])
    return model


def esm_case(out, name, seed, sequence, layers, hidden, intermediate, heads, positional="rotary"):
    torch.manual_seed(seed)
    directory = os.path.join(out, name)
    model = pm.Esm(layers, hidden, intermediate, heads, positional=positional, max_positions=64).eval()
    pm.perturb_(model, seed=seed)
    sharpen_(model, 3.0)
    with torch.no_grad():  # as released: inv_freq rounded to float16
        for layer in model.esm.encoder.layer:
            attention = getattr(layer.attention, "self")
            if hasattr(attention, "rotary_embeddings"):
                inv = attention.rotary_embeddings.inv_freq
                inv.copy_(inv.half().float())
    pm.export(model, os.path.join(directory, "model"))
    with open(os.path.join(directory, "input.fasta"), "w") as f:
        f.write(f">{name} test protein\n{sequence[:30]}\n{sequence[30:]}\n")
    ids = torch.tensor([pm.CLS] + pm.encode(sequence) + [pm.EOS])
    with torch.no_grad():
        result = model(ids)
    for key in ("attention", "logits", "contacts"):
        pm.save_npy(os.path.join(directory, "expected", key + ".npy"), result[key])


def main(out):
    shutil.rmtree(out, ignore_errors=True)
    small = msa_case(out, "msa_small", 1, rows=6, columns=14, layers=2, dim=32, ffn=48, heads=4, insertions=True)
    msa_case(out, "msa_single", 2, rows=1, columns=11, layers=2, dim=32, ffn=48, heads=4, insertions=False,
             model_from=small)
    msa_case(out, "msa_deep", 3, rows=9, columns=20, layers=3, dim=24, ffn=40, heads=2, insertions=False)
    esm_case(out, "esm_small", 4, "MKTAYIAKQRQISFVKSHFSRQXLEERLGLIEVQ", layers=2, hidden=32, intermediate=64, heads=4)
    esm_case(out, "esm_deep", 5, "GSHMLEDPVDAFQYWKNLAEVXRGNETLVRLL", layers=3, hidden=48, intermediate=96, heads=6)
    esm_case(out, "esm1b_absolute", 6, "MQIFVKTLTGKTITLEVEPSDTIENVKAKIQDKEG", layers=2, hidden=32, intermediate=64,
             heads=2, positional="absolute")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tests", "data", "golden", "proteins"))
