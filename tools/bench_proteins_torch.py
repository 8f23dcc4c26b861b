#!/usr/bin/env python3
"""PyTorch side of the protein benchmark (tools/bench_proteins.sh), on the references of
tools/protein_models.py (the architectures attnscope's golden tests are checked against).

Timed, as `attnscope-bench protein` times it: the forward pass with every layer's attention kept
(the MSA Transformer's row and column attention, ESM's attention), the masked-LM logits and the
contact head. The contact head is accumulated layer by layer (symmetrise, APC, the regression's
weights), as attnscope does, so that no [layers * heads, L, L] stack is built (fair-esm's own
head stacks every map first and would need several times the memory). Batch 1, float32.

    bench_proteins_torch.py --export DIR --family msa_transformer|esm   random weights of the
                           benchmark shapes: MSA Transformer 12 x 768, 12 heads; ESM-2 150M 30 x 640, 20 heads
    bench_proteins_torch.py --input-out FILE --rows N --columns C [--seed S]   a random alignment
    bench_proteins_torch.py --model DIR --input FILE --threads T [--repeats R]   -> one JSON line
    bench_proteins_torch.py --model DIR --input FILE --threads T --full   the same layers as full
                           attention over all N x C tokens, nothing recorded (the O((NL)^2) comparison)
Run with Debian's PyTorch: /usr/bin/python3."""
import argparse
import json
import os
import random
import resource
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protein_models as pm  # noqa: E402
from bench_torch import timed_runs  # noqa: E402


def benchmark_model(family):
    torch.manual_seed(0)
    if family == "msa_transformer":
        model = pm.MsaTransformer(layers=12, embed_dim=768, ffn_embed_dim=3072, attention_heads=12, max_positions=1024)
    else:
        model = pm.Esm(layers=30, hidden=640, intermediate=2560, heads=20)
    pm.perturb_(model, std=0.02)
    return model.eval()


def load_weights(model, path):
    """model.safetensors into the reference, one tensor at a time (no second copy of the weights)."""
    params = dict(model.named_parameters())
    params.update(dict(model.named_buffers()))
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        start = 8 + n
        with torch.no_grad():
            for name, info in header.items():
                if name == "__metadata__" or name not in params:
                    continue
                a, b = info["data_offsets"]
                f.seek(start + a)
                values = np.frombuffer(f.read(b - a), dtype=np.float32).reshape(info["shape"])
                params[name].copy_(torch.from_numpy(values.copy()))
    return model


def load(directory):
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    family = config.get("family", config.get("model_type"))
    return load_weights(benchmark_model("msa_transformer" if family == "msa_transformer" else "esm"),
                        os.path.join(directory, "model.safetensors")), family


def read_alignment(path):
    rows, row = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                row = []
                rows.append(row)
            elif line:
                row.append(line)
    return ["".join(r) for r in rows]


def contact_step(head, first_weight, probs, residues):
    """One layer's part of the contact head: its heads' symmetrised, APC-corrected maps weighed."""
    maps = pm.apc(pm.symmetrize(probs[:, 1:1 + residues, 1:1 + residues]))
    w = head.regression.weight[0, first_weight:first_weight + probs.shape[0]]
    return torch.einsum("h,hij->ij", w, maps)


def msa_forward(model, tokens):
    with torch.inference_mode():
        x = model.embed(tokens)
        rows, columns = [], []
        heads = model.layers[0].heads
        residues = tokens.shape[1] - 1
        logit = model.contact_head.regression.bias.clone()
        for i, layer in enumerate(model.layers):
            x, row, column = layer(x)
            rows.append(row)
            columns.append(column)
            logit = logit + contact_step(model.contact_head, i * heads, row, residues)
        logits = model.lm_head(model.emb_layer_norm_after(x))
        return logits, torch.sigmoid(logit), rows, columns


def esm_forward(model, ids):
    with torch.inference_mode():
        x = model.embed(ids)
        attentions = []
        head = model.esm.contact_head
        residues = ids.shape[0] - 2
        logit = head.regression.bias.clone()
        for i, layer in enumerate(model.esm.encoder.layer):
            x, probs = layer(x)
            attentions.append(probs)
            logit = logit + contact_step(head, i * probs.shape[0], probs, residues)
        logits = model.lm_head(model.esm.encoder.emb_layer_norm_after(x))
        return logits, torch.sigmoid(logit), attentions


def full_forward(model, tokens):
    """The MSA Transformer's layers with full attention over all R x C tokens (row attention's
    projections, then the feed-forward block): the cost axial attention avoids."""
    with torch.inference_mode():
        x = model.embed(tokens)
        x = x.reshape(1, -1, x.shape[-1])
        for layer in model.layers:
            p = layer.row_self_attention.layer
            h = layer.row_self_attention.layer_norm(x)
            t, d = h.shape[1], h.shape[2]
            split = lambda y: y.view(t, layer.heads, d // layer.heads).transpose(0, 1)  # noqa: E731
            q, k, v = split(p.q_proj(h[0])), split(p.k_proj(h[0])), split(p.v_proj(h[0]))
            context = ((q * (d // layer.heads) ** -0.5) @ k.transpose(-1, -2)).softmax(-1) @ v
            x = x + p.out_proj(context.transpose(0, 1).reshape(1, t, d))
            x = x + layer.feed_forward_layer.layer(layer.feed_forward_layer.layer_norm(x))
        return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--export")
    p.add_argument("--family", choices=["msa_transformer", "esm"])
    p.add_argument("--input-out")
    p.add_argument("--rows", type=int, default=1)
    p.add_argument("--columns", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model")
    p.add_argument("--input")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--full", action="store_true")
    args = p.parse_args()
    if args.export:
        pm.export(benchmark_model(args.family), args.export)
        return
    if args.input_out:  # random residues, the query first; a few gaps
        rng = random.Random(args.seed)
        letters = "ACDEFGHIKLMNPQRSTVWY"
        with open(args.input_out, "w") as f:
            for r in range(args.rows):
                row = "".join(rng.choice(letters) if r == 0 or rng.random() > 0.1 else "-" for _ in range(args.columns))
                f.write(f">seq{r}\n{row}\n")
        return
    torch.set_num_threads(args.threads)
    model, family = load(args.model)
    rows = read_alignment(args.input)
    if family == "msa_transformer":
        tokens = torch.tensor([[pm.CLS] + pm.encode(r) for r in rows])  # <cls> first in every row
        fn = (lambda: full_forward(model, tokens)) if args.full else (lambda: msa_forward(model, tokens))
        shape = {"rows": len(rows), "columns": len(rows[0])}
    else:
        ids = torch.tensor([pm.CLS] + pm.encode(rows[0].replace("-", "")) + [pm.EOS])
        fn = lambda: esm_forward(model, ids)  # noqa: E731
        shape = {"rows": 1, "columns": len(ids) - 2}
    cold, best, result = timed_runs(fn, args.repeats)
    out = {"impl": "pytorch_full_attention" if args.full else "pytorch", "torch": torch.__version__, "family": family,
           **shape, "threads": args.threads, "seconds": best, "cold_seconds": cold,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if not args.full:
        out["contacts_sum"] = float(result[1].double().sum())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
