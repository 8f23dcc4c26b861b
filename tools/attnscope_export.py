#!/usr/bin/env python3
"""Reference `torch_encoder` model and exporter (docs/model-format.md).

Built from PyTorch's own modules (nn.Embedding, nn.TransformerEncoder, nn.MultiheadAttention),
so that the golden tests, the benchmark and the demo models all compare attnscope against
PyTorch itself. Needs Debian's python3-torch and python3-numpy (run with /usr/bin/python3);
the C++ test suite never imports this file.
"""
import json
import math
import os
import struct

import numpy as np
import torch
from torch import nn

import attributions
import head_edits

DNA_VOCAB = ["[PAD]", "[CLS]", "[UNK]", "A", "C", "G", "T"]


def char_tokenizer(vocab=DNA_VOCAB, uppercase=True):
    return {"type": "char", "vocab": list(vocab), "cls": "[CLS]", "pad": "[PAD]", "unk": "[UNK]",
            "uppercase": uppercase}


def make_config(d_model, n_heads, n_layers, dim_feedforward, labels, max_len, activation="relu",
                norm_first=False, layer_norm_eps=1e-5, positional="sinusoidal", embed_scale=1.0,
                final_norm=False, tokenizer=None):
    return {"family": "torch_encoder", "d_model": d_model, "n_heads": n_heads, "n_layers": n_layers,
            "dim_feedforward": dim_feedforward, "activation": activation, "norm_first": norm_first,
            "layer_norm_eps": layer_norm_eps, "positional": positional, "max_len": max_len,
            "embed_scale": embed_scale, "final_norm": final_norm, "labels": list(labels),
            "tokenizer": tokenizer or char_tokenizer()}


def sinusoidal_encoding(length, d):
    """PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)), in float64."""
    pe = np.zeros((length, d))
    p = np.arange(length)[:, None]
    two_i = np.arange(0, d, 2)[None, :]
    angle = p / np.power(10000.0, two_i / d)
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d // 2])
    return torch.tensor(pe, dtype=torch.float32)


class Classifier(nn.Module):
    """The `torch_encoder` family: state_dict() names are the file's tensor names."""

    def __init__(self, config):
        super().__init__()
        c = self.config = config
        d = c["d_model"]
        self.embed = nn.Embedding(len(c["tokenizer"]["vocab"]), d)
        if c["positional"] == "learned":
            self.pos_embed = nn.Embedding(c["max_len"], d)
        layer = nn.TransformerEncoderLayer(d, c["n_heads"], c["dim_feedforward"], dropout=0.0,
                                           activation=c["activation"], layer_norm_eps=c["layer_norm_eps"],
                                           batch_first=True, norm_first=c["norm_first"])
        norm = nn.LayerNorm(d, eps=c["layer_norm_eps"]) if c["final_norm"] else None
        self.encoder = nn.TransformerEncoder(layer, c["n_layers"], norm=norm, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, len(c["labels"]))

    def embed_tokens(self, ids):
        c = self.config
        x = self.embed(ids) * c["embed_scale"]
        length = ids.shape[-1]
        if c["positional"] == "sinusoidal":
            x = x + sinusoidal_encoding(length, c["d_model"])
        elif c["positional"] == "learned":
            x = x + self.pos_embed(torch.arange(length))
        return x

    def forward(self, ids, key_padding=None):
        """Training forward: ids [B, L] -> logits [B, C]."""
        h = self.encoder(self.embed_tokens(ids), src_key_padding_mask=key_padding)
        return self.classifier(h[:, 0])

    def forward_recorded(self, ids, key_padding=None):
        """One sequence, every layer's per-head attention recorded.

        ids: LongTensor [L]; key_padding: BoolTensor [L] (True = padding) or None.
        Returns (logits [C], hidden [L, d], [attention [H, L, L] per layer]) as numpy float32.
        The weights come from each layer's own nn.MultiheadAttention called on the same input the
        layer gives it (x for post-LN, norm1(x) for pre-LN) with average_attn_weights=False.
        """
        x = self.embed_tokens(ids[None])
        mask = None if key_padding is None else key_padding[None]
        if head_edits.active():  # the layers computed from their weights, with the edits
            x, attentions = head_edits.encoder_forward(self.encoder, x, mask)
            logits = self.classifier(x[:, 0])
            return (logits[0].detach().numpy().astype(np.float32), x[0].detach().numpy().astype(np.float32),
                    [a.astype(np.float32) for a in attentions])
        attentions = []
        for layer in self.encoder.layers:
            h = layer.norm1(x) if layer.norm_first else x
            _, w = layer.self_attn(h, h, h, key_padding_mask=mask, need_weights=True, average_attn_weights=False)
            attentions.append(w[0].detach().numpy().astype(np.float32))
            x = layer(x, src_key_padding_mask=mask)
        if self.encoder.norm is not None:
            x = self.encoder.norm(x)
        logits = self.classifier(x[:, 0])
        return (logits[0].detach().numpy().astype(np.float32), x[0].detach().numpy().astype(np.float32),
                attentions)


# --- the `bert` family: a Hugging Face BertForSequenceClassification, same module names ----

class _Named(nn.Module):
    """A module whose children are given by keyword (so that state_dict() names match HF's)."""

    def __init__(*args, **children):  # no named `self`: HF has a child called "self"
        module = args[0]
        super(_Named, module).__init__()
        for name, child in children.items():
            module.add_module(name, child)


class BertReference(nn.Module):
    """BERT for sequence classification with Hugging Face's parameter names
    (bert.embeddings.*, bert.encoder.layer.{i}.attention.self.query, ..., bert.pooler.dense,
    classifier), written with plain torch modules: post-LN, exact GELU, absolute learned
    positions, token type 0, pooler tanh(dense(h[CLS]))."""

    def __init__(self, config, vocab):
        super().__init__()
        self.config = config
        d, ff, eps = config["hidden_size"], config["intermediate_size"], config["layer_norm_eps"]
        embeddings = _Named(word_embeddings=nn.Embedding(len(vocab), d),
                            position_embeddings=nn.Embedding(config["max_position_embeddings"], d),
                            token_type_embeddings=nn.Embedding(config["type_vocab_size"], d),
                            LayerNorm=nn.LayerNorm(d, eps=eps))
        layers = nn.ModuleList()
        for _ in range(config["num_hidden_layers"]):
            attention = _Named(self=_Named(query=nn.Linear(d, d), key=nn.Linear(d, d), value=nn.Linear(d, d)),
                               output=_Named(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=eps)))
            layers.append(_Named(attention=attention, intermediate=_Named(dense=nn.Linear(d, ff)),
                                 output=_Named(dense=nn.Linear(ff, d), LayerNorm=nn.LayerNorm(d, eps=eps))))
        self.bert = _Named(embeddings=embeddings, encoder=_Named(layer=layers), pooler=_Named(dense=nn.Linear(d, d)))
        self.classifier = nn.Linear(d, len(config["id2label"]))

    def forward_recorded(self, ids, key_padding=None):
        """ids [L] -> (logits [C], hidden [L, d], [attention [H, L, L] per layer]) as numpy."""
        c, e = self.config, self.bert.embeddings
        heads = c["num_attention_heads"]
        length = ids.shape[0]
        positions = torch.arange(length)
        x = e.word_embeddings(ids) + e.position_embeddings(positions) + e.token_type_embeddings(torch.zeros_like(ids))
        x = e.LayerNorm(x)
        attentions = []
        for index, layer in enumerate(self.bert.encoder.layer):
            sa = layer.attention.self
            dh = x.shape[1] // heads
            q, k, v = (m(x).view(length, heads, dh).transpose(0, 1) for m in (sa.query, sa.key, sa.value))
            scores = (q / math.sqrt(dh)) @ k.transpose(1, 2)
            if key_padding is not None:
                scores = scores.masked_fill(key_padding[None, None, :], float("-inf"))
            if head_edits.active():
                probs, context = head_edits.attend(index, scores, v, key_padding)
            else:
                probs = scores.softmax(-1)
                context = (probs @ v).transpose(0, 1).reshape(length, -1)
            attentions.append(probs.detach().numpy().astype(np.float32))
            x_in, after_attention = x, x + layer.attention.output.dense(context)
            x = layer.attention.output.LayerNorm(after_attention)
            before_norm2 = x + layer.output.dense(torch.nn.functional.gelu(layer.intermediate.dense(x)))
            if attributions.tracing():
                record_bert_layer(layer, x_in, v, probs, after_attention, x, before_norm2, key_padding)
            x = layer.output.LayerNorm(before_norm2)
        pooled = torch.tanh(self.bert.pooler.dense(x[0]))
        logits = self.classifier(pooled)
        return (logits.detach().numpy().astype(np.float32), x.detach().numpy().astype(np.float32), attentions)


def record_bert_layer(layer, x, v, probs, after_attention, after_norm1, before_norm2, key_padding=None):
    """Hands tools/attributions.py one post-LN BERT layer: its input x [T, d], values v [H, T, dh]
    (the value Linear's output, bias included), weights [H, T, T], the attention output dense, and
    the states around attention.output.LayerNorm (norm1) and output.LayerNorm (norm2)."""
    dense = layer.attention.output.dense
    attributions.record(norm_first=False, x=x, values=v.transpose(0, 1).reshape(x.shape[0], -1), weights=probs,
                        out_weight=dense.weight, out_bias=dense.bias, after_attention=after_attention,
                        after_norm1=after_norm1, before_norm2=before_norm2, norm1=layer.attention.output.LayerNorm,
                        norm2=layer.output.LayerNorm, padding=key_padding)


def kmer_vocab(k):
    """DNABERT's layout: [PAD] [UNK] [CLS] [SEP] [MASK], then every k-mer of ACGT in order."""
    import itertools
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["".join(p) for p in itertools.product("ACGT", repeat=k)]


def kmer_tokenize(vocab, k, sequence):
    """[CLS], one id per overlapping k-mer (unknown -> [UNK]), [SEP]."""
    ids = {t: i for i, t in enumerate(vocab)}
    s = sequence.upper()
    kmers = [s[i:i + k] for i in range(len(s) - k + 1)]
    return [ids["[CLS]"]] + [ids.get(m, ids["[UNK]"]) for m in kmers] + [ids["[SEP]"]]


def export_bert(model, vocab, directory):
    """A Hugging Face-style directory: config.json, vocab.txt, model.safetensors."""
    os.makedirs(directory, exist_ok=True)
    tensors = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    save_safetensors(tensors, os.path.join(directory, "model.safetensors"))
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")


def _encode(array, dtype):
    array = np.ascontiguousarray(array, dtype=np.float32)
    if dtype == "F32":
        return array.tobytes()
    if dtype == "F16":
        return array.astype(np.float16).tobytes()
    if dtype == "BF16":  # round to nearest even, keep the high 16 bits
        bits = array.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        return rounded.astype(np.uint16).tobytes()
    raise ValueError(dtype)


def round_to(array, dtype):
    """The float32 values a tensor has after a round trip through dtype."""
    raw = _encode(array, dtype)
    if dtype == "F32":
        return np.frombuffer(raw, np.float32).reshape(array.shape)
    if dtype == "F16":
        return np.frombuffer(raw, np.float16).astype(np.float32).reshape(array.shape)
    bits = np.frombuffer(raw, np.uint16).astype(np.uint32) << 16
    return bits.view(np.float32).reshape(array.shape)


def save_safetensors(tensors, path, dtype="F32"):
    """tensors: name -> numpy array. Writes the safetensors format (8-byte header length, JSON, data)."""
    width = {"F32": 4, "F16": 2, "BF16": 2}[dtype]
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        blob = _encode(tensors[name], dtype)
        assert len(blob) == tensors[name].size * width
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt", "written_by": "tools/attnscope_export.py"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def export(model, directory, dtype="F32"):
    """Writes DIR/config.json and DIR/model.safetensors for a Classifier."""
    os.makedirs(directory, exist_ok=True)
    tensors = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    save_safetensors(tensors, os.path.join(directory, "model.safetensors"), dtype)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")


def tokenize(config, text):
    """[CLS] then one id per character, upper-cased if the tokenizer says so; unknown -> unk."""
    tok = config["tokenizer"]
    vocab = {t: i for i, t in enumerate(tok["vocab"])}
    if tok.get("uppercase", True):
        text = text.upper()
    return [vocab[tok["cls"]]] + [vocab.get(ch, vocab[tok["unk"]]) for ch in text]


def perturb_(model, std=0.1, seed=0):
    """LayerNorm weights and every bias away from their 1 / 0 defaults, so that a wrong
    read of any of them shows in the outputs."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or ".norm" in name:
                p.add_(torch.randn(p.shape, generator=g) * std)


def flops_per_forward(config, length):
    """Multiply-adds x 2 of one forward pass (projections, scores, context, feed-forward)."""
    d, ff, n = config["d_model"], config["dim_feedforward"], config["n_layers"]
    per_layer = 2 * length * d * 3 * d + 2 * 2 * length * length * d + 2 * length * d * d + 2 * 2 * length * d * ff
    return n * per_layer


if __name__ == "__main__":
    raise SystemExit("a library; see tools/make_golden.py and tools/bench_torch.py")


def encoder_recorded(encoder, h):
    """Runs an nn.TransformerEncoder (batch_first, batch 1) on h [1, T, d], recording each layer's
    attention: (hidden [1, T, d] after the final norm, [attention [H, T, T] float32 per layer])."""
    if head_edits.active():
        return head_edits.encoder_forward(encoder, h)
    attentions = []
    for layer in encoder.layers:
        a = layer.norm1(h) if layer.norm_first else h
        _, w = layer.self_attn(a, a, a, need_weights=True, average_attn_weights=False)
        attentions.append(w[0].detach().numpy().astype(np.float32))
        h = layer(h)
    if encoder.norm is not None:
        h = encoder.norm(h)
    return h, attentions
