#!/usr/bin/env python3
"""Writes tests/data/golden: small `torch_encoder` models built with PyTorch's own modules, their
inputs, and the outputs PyTorch computes for them (logits, final hidden states, every layer's
per-head attention, attention rollout), plus a rotary-attention case in ESM-2's formulation.

    /usr/bin/python3 tools/make_golden.py [OUT_DIR]     (default tests/data/golden)

Deterministic (fixed seeds). The C++ tests read the result and never need PyTorch.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402

LABELS = ["ei", "ie", "n"]


def rollout(attentions, padding, fusion="mean", discard=0.0, start=0):
    """Reference attention rollout (Abnar & Zuidema 2020) as attnscope documents it, in float64."""
    pad = np.asarray(padding, dtype=bool)
    result = None
    for layer in attentions[start:]:
        heads = layer.astype(np.float64)
        a = {"mean": heads.mean(0), "max": heads.max(0), "min": heads.min(0)}[fusion]
        if discard > 0:
            eligible = ~pad[:, None] & ~pad[None, :]
            eligible[:, 0] = False  # never the [CLS] column
            flat = np.flatnonzero(eligible.ravel())
            n = int(float(np.float32(discard)) * len(flat))
            order = flat[np.argsort(a.ravel()[flat], kind="stable")]  # ties: lower flat index first
            a.ravel()[order[:n]] = 0.0
        a = (a + np.eye(len(a))) / 2
        a[pad, :] = 0
        a[:, pad] = 0
        sums = a.sum(1, keepdims=True)
        a = np.divide(a, sums, out=np.zeros_like(a), where=sums > 0)
        result = a if result is None else a @ result
    return result.astype(np.float32)


def save(path, array):
    np.save(path, np.ascontiguousarray(array, dtype=np.float32))


def write_case(out, name, model, sequence, pads=0, dtype="F32", rollouts=False):
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "expected"), exist_ok=True)
    ids = ax.tokenize(model.config, sequence)
    pad_id = model.config["tokenizer"]["vocab"].index(model.config["tokenizer"]["pad"])
    ids = ids + [pad_id] * pads
    padding = [False] * (len(ids) - pads) + [True] * pads
    ax.export(model, d, dtype)
    with open(os.path.join(d, "input.json"), "w") as f:
        json.dump({"sequence": sequence, "ids": ids, "key_padding": padding}, f)
        f.write("\n")
    mask = torch.tensor(padding) if pads else None
    logits, hidden, attentions = model.forward_recorded(torch.tensor(ids), mask)
    save(os.path.join(d, "expected/logits.npy"), logits)
    save(os.path.join(d, "expected/hidden.npy"), hidden)
    for i, a in enumerate(attentions):
        save(os.path.join(d, f"expected/attention_layer_{i:02d}.npy"), a)
    if rollouts:
        save(os.path.join(d, "expected/rollout_mean.npy"), rollout(attentions, padding))
        save(os.path.join(d, "expected/rollout_max_discard30.npy"), rollout(attentions, padding, "max", 0.3))
        save(os.path.join(d, "expected/rollout_min_start1.npy"), rollout(attentions, padding, "min", start=1))
    return d, ids, padding, attentions, logits


def build(seed, **kwargs):
    torch.manual_seed(seed)
    config = ax.make_config(16, 4, dim_feedforward=32, labels=LABELS, max_len=64, **kwargs)
    model = ax.Classifier(config)
    ax.perturb_(model, seed=seed)
    model.eval()
    return model


def rounded_copy(model, dtype):
    """The same model with every weight rounded to dtype, as attnscope reads it from such a file."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(ax.round_to(p.detach().numpy(), dtype).copy()))
    return model


def rotary_case(out):
    d = os.path.join(out, "rotary")
    os.makedirs(os.path.join(d, "expected"), exist_ok=True)
    g = torch.Generator().manual_seed(7)
    length, heads, dh = 10, 2, 8
    q, k, v = (torch.randn(length, heads * dh, generator=g) for _ in range(3))

    def rotate(x):  # ESM-2: inv_freq over dh, cos/sin of cat(freqs, freqs), rotate_half
        inv_freq = 1.0 / (10000 ** (torch.arange(0, dh, 2, dtype=torch.float64) / dh))
        freqs = torch.outer(torch.arange(length, dtype=torch.float64), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        xh = x.double().view(length, heads, dh)
        x1, x2 = xh[..., : dh // 2], xh[..., dh // 2:]
        half = torch.cat((-x2, x1), dim=-1)
        return (xh * emb.cos()[:, None] + half * emb.sin()[:, None]).reshape(length, heads * dh)

    qr, kr = rotate(q), rotate(k)
    qh, kh, vh = (t.double().view(length, heads, dh).transpose(0, 1) for t in (qr, kr, v))
    scores = qh @ kh.transpose(1, 2) / dh ** 0.5
    attention = scores.softmax(-1)
    causal = scores.masked_fill(torch.ones(length, length, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
    context = (attention @ vh).transpose(0, 1).reshape(length, heads * dh)
    for name, t in [("q", q), ("k", k), ("v", v)]:
        save(os.path.join(d, f"{name}.npy"), t.numpy())
    for name, t in [("q_rot", qr), ("k_rot", kr), ("attention", attention), ("attention_causal", causal),
                    ("context", context)]:
        save(os.path.join(d, f"expected/{name}.npy"), t.numpy())


def cli_case(out, model):
    d = os.path.join(out, "cli")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "expected"))
    ax.export(model, d)
    with open(os.path.join(d, "input.fa"), "w") as f:
        f.write(">rec1 first record\nacgtNa\ncgTAcg\n>rec2\nACGT\n")
    sequence = "acgtNacgTAcg"
    ids = ax.tokenize(model.config, sequence)
    logits, _, attentions = model.forward_recorded(torch.tensor(ids))
    save(os.path.join(d, "expected/logits.npy"), logits)
    for i, a in enumerate(attentions):
        save(os.path.join(d, f"expected/attention_layer_{i:02d}.npy"), a)
    save(os.path.join(d, "expected/rollout_cls.npy"), rollout(attentions, [False] * len(ids))[0])
    tokens = ["[CLS]"] + [ch if ch in "ACGT" else "[UNK]" for ch in sequence.upper()]
    with open(os.path.join(d, "expected/tokens.tsv"), "w") as f:
        f.write("index\ttoken\n" + "".join(f"{i}\t{t}\n" for i, t in enumerate(tokens)))


def bert_case(out, name, sequence, pads=0):
    """A BERT (Hugging Face names and config) on 3-mer tokens, as DNABERT."""
    torch.manual_seed(4)
    vocab = ax.kmer_vocab(3)
    config = {"model_type": "bert", "architectures": ["BertForSequenceClassification"], "hidden_size": 16,
              "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32, "hidden_act": "gelu",
              "layer_norm_eps": 1e-12, "max_position_embeddings": 64, "type_vocab_size": 2, "vocab_size": len(vocab),
              "position_embedding_type": "absolute", "id2label": {"0": "non-promoter", "1": "promoter"}}
    model = ax.BertReference(config, vocab)
    ax.perturb_(model, seed=4)
    with torch.no_grad():  # token type 0 must matter: make it clearly non-zero
        model.bert.embeddings.token_type_embeddings.weight.mul_(3.0)
    model.eval()
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "expected"), exist_ok=True)
    ax.export_bert(model, vocab, d)
    ids = ax.kmer_tokenize(vocab, 3, sequence) + [0] * pads
    padding = [False] * (len(ids) - pads) + [True] * pads
    with open(os.path.join(d, "input.json"), "w") as f:
        json.dump({"sequence": sequence, "ids": ids, "key_padding": padding}, f)
        f.write("\n")
    logits, hidden, attentions = model.forward_recorded(torch.tensor(ids), torch.tensor(padding) if pads else None)
    save(os.path.join(d, "expected/logits.npy"), logits)
    save(os.path.join(d, "expected/hidden.npy"), hidden)
    for i, a in enumerate(attentions):
        save(os.path.join(d, f"expected/attention_layer_{i:02d}.npy"), a)


def ct_case(out):
    """The CT family: conv stem with BatchNorm (running statistics perturbed), encoder, [CLS]."""
    import ct_model
    torch.manual_seed(5)
    stem = [{"channels": 6, "kernel": 3, "stride": 2, "padding": 1}, {"channels": 8, "kernel": 3, "stride": 2, "padding": 1}]
    config = ct_model.make_ct_config((16, 12, 8), stem, 16, 4, 2, 32, ["no lesion", "lesion"])
    model = ct_model.CtReference(config)
    ax.perturb_(model, seed=5)
    with torch.no_grad():
        for stage in model.stem:
            stage.norm.running_mean.uniform_(-0.2, 0.2)
            stage.norm.running_var.uniform_(0.5, 1.5)
    model.eval()
    d = os.path.join(out, "ct")
    os.makedirs(os.path.join(d, "expected"), exist_ok=True)
    ct_model.export_ct(model, d)
    x = torch.rand(1, 1, 8, 12, 16, generator=torch.Generator().manual_seed(6))  # [B, C, D(z), H(y), W(x)]
    save(os.path.join(d, "input.npy"), x[0, 0].numpy())
    logits, hidden, attentions = model.forward_recorded(x)
    save(os.path.join(d, "expected/logits.npy"), logits)
    save(os.path.join(d, "expected/hidden.npy"), hidden)
    for i, a in enumerate(attentions):
        save(os.path.join(d, f"expected/attention_layer_{i:02d}.npy"), a)
    # trilinear resampling as F.interpolate(align_corners=False) does it, for core/volume/Resample
    v = torch.randn(1, 1, 7, 9, 11, generator=torch.Generator().manual_seed(8))
    save(os.path.join(d, "resample_in.npy"), v[0, 0].numpy())
    r = torch.nn.functional.interpolate(v, size=(8, 12, 16), mode="trilinear", align_corners=False)
    save(os.path.join(d, "expected/resample_out.npy"), r[0, 0].numpy())


def main(out):
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    post = build(1, activation="relu", norm_first=False, layer_norm_eps=1e-5, positional="sinusoidal",
                 n_layers=2)
    pre = build(2, activation="gelu", norm_first=True, layer_norm_eps=1e-6, positional="learned",
                embed_scale=4.0, final_norm=True, n_layers=3)
    nopos = build(3, activation="gelu", norm_first=False, positional="none", final_norm=True, n_layers=1)
    write_case(out, "postln_relu", post, "ACGTACGGTCA", rollouts=True)
    write_case(out, "preln_gelu", pre, "acgtNacgTAcg", rollouts=True)
    write_case(out, "postln_relu_padded", post, "ACGTAC", pads=4, rollouts=True)
    write_case(out, "preln_gelu_padded", pre, "GGCATT", pads=3, rollouts=True)
    write_case(out, "postln_gelu_nopos", nopos, "TTGACA")
    cli_case(out, pre)
    for dtype in ("F16", "BF16"):
        write_case(out, f"preln_gelu_{dtype.lower()}", rounded_copy(build(2, activation="gelu", norm_first=True,
                   layer_norm_eps=1e-6, positional="learned", embed_scale=4.0, final_norm=True, n_layers=3), dtype),
                   "acgtNacgTAcg", dtype=dtype)
    rotary_case(out)
    bert_case(out, "bert_kmer3", "ACGTNACGTTAGCa")
    bert_case(out, "bert_kmer3_padded", "GGCATTAC", pads=3)
    ct_case(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests/data/golden"))
