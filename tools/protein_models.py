#!/usr/bin/env python3
"""PyTorch references of the two protein model families attnscope runs (docs/model-format.md).

Written from the published architectures, with the tensor names the files carry:
- `MsaTransformer`: the MSA Transformer (Rao et al. 2021) with the names of fair-esm's
  `MSATransformer.state_dict()` (esm/model/msa_transformer.py, esm/axial_attention.py).
- `Esm`: ESM-2 (Lin et al. 2023; and ESM-1b with absolute positions) with the names of
  Hugging Face's `EsmForMaskedLM` (models/esm/modeling_esm.py).
Both return every head's attention, the logits and the contact map, so the golden tests, the
benchmark and the demo training all compare attnscope with these. Needs Debian's python3-torch
(run with /usr/bin/python3); the C++ suite never imports this file.
"""
import json
import math
import os

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

import attnscope_export as ax
import attributions
import head_edits

# fair-esm's Alphabet.all_toks for ESM-1b, ESM-2 and the MSA Transformer.
ESM_ALPHABET = (["<cls>", "<pad>", "<eos>", "<unk>"] + list("LAGVSERTIDPKQNFYMHWCXBUZO.-")
                + ["<null_1>", "<mask>"])
CLS, PAD, EOS, UNK, MASK = 0, 1, 2, 3, 32


def encode(residues, alphabet=ESM_ALPHABET):
    """Residue letters to token ids (unknown letters -> <unk>), no special tokens."""
    index = {t: i for i, t in enumerate(alphabet)}
    return [index.get(ch, UNK) for ch in residues]


def symmetrize(x):
    return x + x.transpose(-1, -2)


def apc(x):
    """Average product correction over the last two dimensions, as ESM's contact head."""
    a1 = x.sum(-1, keepdim=True)
    a2 = x.sum(-2, keepdim=True)
    return x - a1 * a2 / x.sum((-1, -2), keepdim=True)


class ContactHead(nn.Module):
    """Logistic regression over the layers x heads symmetrised, APC-corrected maps."""

    def __init__(self, channels):
        super().__init__()
        self.regression = nn.Linear(channels, 1)

    def forward(self, attentions):  # [layers, heads, L, L], special tokens already removed
        layers, heads, length, _ = attentions.shape
        maps = apc(symmetrize(attentions.reshape(layers * heads, length, length)))
        return torch.sigmoid(self.regression(maps.permute(1, 2, 0)).squeeze(-1))


class Residual(nn.Module):
    """Pre-LN residual block: x + layer(layer_norm(x)) (fair-esm's NormalizedResidualBlock)."""

    def __init__(self, layer, dim):
        super().__init__()
        self.layer = layer
        self.layer_norm = nn.LayerNorm(dim)


class AxialProjections(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.k_proj, self.v_proj, self.q_proj, self.out_proj = (nn.Linear(dim, dim) for _ in range(4))


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class AxialLayer(nn.Module):
    def __init__(self, dim, ffn, heads):
        super().__init__()
        self.heads = heads
        self.row_self_attention = Residual(AxialProjections(dim), dim)
        self.column_self_attention = Residual(AxialProjections(dim), dim)
        self.feed_forward_layer = Residual(FeedForward(dim, ffn), dim)

    def split(self, p, x):  # [R, C, D] -> q, k, v [R, C, H, d]
        rows, cols, dim = x.shape
        shape = (rows, cols, self.heads, dim // self.heads)
        return p.q_proj(x).view(shape), p.k_proj(x).view(shape), p.v_proj(x).view(shape)

    def row(self, x):
        """Tied row attention: one [C, C] map per head from q.k summed over the rows."""
        p = self.row_self_attention.layer
        q, k, v = self.split(p, x)
        q = q * (q.shape[-1] ** -0.5 / math.sqrt(x.shape[0]))
        scores = torch.einsum("rihd,rjhd->hij", q, k)
        e = head_edits.active()
        if e:
            scores = e.logits(self.edit_layer, scores)
        probs = scores.softmax(-1)
        if e:
            probs = e.weights(self.edit_layer, scores, probs)
        context = torch.einsum("hij,rjhd->rihd", probs, v)
        if e:
            context = e.outputs(self.edit_layer, context.reshape(-1, *context.shape[2:])).view(context.shape)
        return p.out_proj(context.reshape(x.shape)), probs

    def column(self, x):
        """Column attention: an [R, R] map per head and column."""
        p = self.column_self_attention.layer
        q, k, v = self.split(p, x)
        q = q * q.shape[-1] ** -0.5
        scores = torch.einsum("ichd,jchd->hcij", q, k)
        e = head_edits.active()
        if e:
            scores = e.logits(self.edit_layer, scores, "column")
        probs = scores.softmax(-1)
        if e:
            probs = e.weights(self.edit_layer, scores, probs, "column")
        context = torch.einsum("hcij,jchd->ichd", probs, v)
        if e:
            context = e.outputs(self.edit_layer, context.reshape(-1, *context.shape[2:]), None, "column").view(context.shape)
        return p.out_proj(context.reshape(x.shape)), probs

    def forward(self, x):
        normed = self.row_self_attention.layer_norm(x)
        update, row = self.row(normed)
        if attributions.tracing():
            self.record(x, normed, row, x + update)
        x = x + update
        update, column = self.column(self.column_self_attention.layer_norm(x))
        x = x + update
        x = x + self.feed_forward_layer.layer(self.feed_forward_layer.layer_norm(x))
        return x, row, column


    def record(self, x, normed, probs, after_attention):
        """Hands tools/attributions.py the query row (row 0) of this layer's row attention, a pre-LN
        sublayer: its input x[0] [C, d], its values (v_proj of the row LayerNorm's output, bias
        included), the tied weights [H, C, C] and x[0] + the row attention's output. Column attention
        and the feed-forward follow outside it, as the feed-forward does in a pre-LN encoder layer."""
        p = self.row_self_attention
        attributions.record(norm_first=True, x=x[0], values=p.layer.v_proj(normed[0]), weights=probs,
                            out_weight=p.layer.out_proj.weight, out_bias=p.layer.out_proj.bias,
                            after_attention=after_attention[0], after_norm1=None, before_norm2=None,
                            norm1=p.layer_norm, norm2=p.layer_norm, padding=None)


class LmHead(nn.Module):
    """dense, GELU, LayerNorm, then the (tied) token embedding and a bias."""

    def __init__(self, dim, weight, eps=1e-5, decoder=False):
        super().__init__()
        self.dense = nn.Linear(dim, dim)
        self.layer_norm = nn.LayerNorm(dim, eps=eps)
        self.bias = nn.Parameter(torch.zeros(weight.shape[0]))
        if decoder:  # Hugging Face: lm_head.decoder, tied (and usually not stored)
            self.decoder = nn.Linear(dim, weight.shape[0], bias=False)
            self.decoder.weight = weight
        else:  # fair-esm: lm_head.weight, tied
            self.weight = weight

    def forward(self, x):
        weight = self.decoder.weight if hasattr(self, "decoder") else self.weight
        return F.linear(self.layer_norm(F.gelu(self.dense(x))), weight) + self.bias


class MsaTransformer(nn.Module):
    """fair-esm's MSATransformer, inference only, on one MSA of token ids [R, C] (BOS first)."""

    def __init__(self, layers, embed_dim, ffn_embed_dim, attention_heads, max_positions):
        super().__init__()
        self.config = {"family": "msa_transformer", "layers": layers, "embed_dim": embed_dim,
                       "ffn_embed_dim": ffn_embed_dim, "attention_heads": attention_heads,
                       "max_positions": max_positions}
        v, d = len(ESM_ALPHABET), embed_dim
        self.embed_tokens = nn.Embedding(v, d, padding_idx=PAD)
        self.embed_positions = nn.Embedding(max_positions + PAD + 1, d, padding_idx=PAD)
        self.msa_position_embedding = nn.Parameter(0.02 * torch.randn(1, 1024, 1, d))
        self.emb_layer_norm_before = nn.LayerNorm(d)
        self.emb_layer_norm_after = nn.LayerNorm(d)
        self.layers = nn.ModuleList(AxialLayer(d, ffn_embed_dim, attention_heads) for _ in range(layers))
        head_edits.number(self.layers)
        self.contact_head = ContactHead(layers * attention_heads)
        self.lm_head = LmHead(d, self.embed_tokens.weight)

    def embed(self, tokens):
        rows, cols = tokens.shape
        positions = torch.arange(cols) + PAD + 1  # fairseq: counted from padding_idx + 1
        x = self.embed_tokens(tokens) + self.embed_positions(positions)[None]
        return self.emb_layer_norm_before(x + self.msa_position_embedding[0, :rows])

    def forward(self, tokens):
        x = self.embed(tokens)
        rows, columns = [], []
        for layer in self.layers:
            x, row, column = layer(x)
            rows.append(row)
            columns.append(column)
        row_attention = torch.stack(rows)  # [layers, H, C, C]
        logits = self.lm_head(self.emb_layer_norm_after(x))
        contacts = self.contact_head(row_attention[..., 1:, 1:])
        return {"row_attention": row_attention, "column_attention": torch.stack(columns),
                "logits": logits, "contacts": contacts}


class EsmSelfAttention(nn.Module):
    def __init__(self, dim, heads, rotary):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(dim, dim) for _ in range(3))
        if rotary:
            head = dim // heads
            inv_freq = 1.0 / (10000 ** (torch.arange(0, head, 2).float() / head))
            self.rotary_embeddings = nn.Module()
            self.rotary_embeddings.register_buffer("inv_freq", inv_freq)

    def rotate(self, x):  # [H, T, d]: half-split rotary, positions from <cls> = 0
        freqs = torch.outer(torch.arange(x.shape[1]).float(), self.rotary_embeddings.inv_freq)
        angle = torch.cat((freqs, freqs), -1)
        x1, x2 = x.chunk(2, -1)
        return x * angle.cos() + torch.cat((-x2, x1), -1) * angle.sin()

    def forward(self, x):  # [T, D]
        t, d = x.shape
        split = lambda y: y.view(t, self.heads, d // self.heads).transpose(0, 1)  # noqa: E731
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        q = q * (d // self.heads) ** -0.5
        if hasattr(self, "rotary_embeddings"):
            q, k = self.rotate(q), self.rotate(k)
        if head_edits.active():
            probs, context = head_edits.attend(self.edit_layer, q @ k.transpose(-1, -2), v)
            return context, probs
        probs = (q @ k.transpose(-1, -2)).softmax(-1)
        return (probs @ v).transpose(0, 1).reshape(t, d), probs


def _named(**modules):
    m = nn.Module()
    for name, module in modules.items():
        setattr(m, name, module)
    return m


class EsmLayer(nn.Module):
    """glu: the Nucleotide Transformer v2's feed-forward (InstaDeep's modeling_esm.py): the
    intermediate dense is [2 ffn, dim], split in halves x1, x2 giving silu(x1) * x2; ffn_bias
    is its add_bias_fnn."""

    def __init__(self, dim, ffn, heads, eps, rotary, glu=False, ffn_bias=True):
        super().__init__()
        self.attention = _named(self=EsmSelfAttention(dim, heads, rotary),
                                output=_named(dense=nn.Linear(dim, dim)), LayerNorm=nn.LayerNorm(dim, eps=eps))
        self.intermediate = _named(dense=nn.Linear(dim, 2 * ffn if glu else ffn, bias=ffn_bias))
        self.output = _named(dense=nn.Linear(ffn, dim, bias=ffn_bias))
        self.LayerNorm = nn.LayerNorm(dim, eps=eps)
        self.glu, self.ffn = glu, ffn

    def feed_forward(self, x):
        h = self.intermediate.dense(x)
        if self.glu:
            x1, x2 = h.split(self.ffn, -1)
            return self.output.dense(F.silu(x1) * x2)
        return self.output.dense(F.gelu(h))

    def forward(self, x):
        a = self.attention
        h = a.LayerNorm(x)
        context, probs = getattr(a, "self")(h)
        x_in, x = x, x + a.output.dense(context)
        if attributions.tracing():
            self.record(x_in, getattr(a, "self").value(h), probs, x)
        return x + self.feed_forward(self.LayerNorm(x)), probs

    def record(self, x, values, probs, after_attention):
        """Hands tools/attributions.py this pre-LN layer: its raw input x [T, d], the values [T, d]
        (value Linear of attention.LayerNorm(x), bias included; rotary touches only q and k), the
        weights [H, T, T], the output dense and x + attention output (norm1 = attention.LayerNorm,
        norm2 = LayerNorm before the feed-forward)."""
        a = self.attention
        attributions.record(norm_first=True, x=x, values=values, weights=probs, out_weight=a.output.dense.weight,
                            out_bias=a.output.dense.bias, after_attention=after_attention, after_norm1=None,
                            before_norm2=None, norm1=a.LayerNorm, norm2=self.LayerNorm, padding=None)


class Esm(nn.Module):
    """Hugging Face's EsmForMaskedLM, inference only, on one sequence of ids (<cls> ... <eos>)."""

    def __init__(self, layers, hidden, intermediate, heads, positional="rotary", eps=1e-5,
                 token_dropout=True, max_positions=1026, vocab=ESM_ALPHABET, glu=False, ffn_bias=True, embed_norm=None):
        super().__init__()
        self.vocab, self.mask_id, self.pad_id = vocab, vocab.index("<mask>"), vocab.index("<pad>")
        self.config = {"architectures": ["EsmForMaskedLM"], "model_type": "esm", "vocab_size": len(vocab),
                       "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
                       "intermediate_size": intermediate, "hidden_act": "gelu", "layer_norm_eps": eps,
                       "max_position_embeddings": max_positions, "position_embedding_type": positional,
                       "token_dropout": token_dropout, "emb_layer_norm_before": positional == "absolute" if embed_norm is None else embed_norm,
                       "mask_token_id": self.mask_id, "pad_token_id": self.pad_id, "is_folding_model": False}
        if glu or not ffn_bias:
            self.config.update({"use_glu_in_ffn": glu, "add_bias_fnn": ffn_bias})
        rotary = positional == "rotary"
        words = nn.Embedding(len(vocab), hidden, padding_idx=self.pad_id)
        embeddings = _named(word_embeddings=words)
        if not rotary:
            embeddings.position_embeddings = nn.Embedding(max_positions, hidden, padding_idx=self.pad_id)
        if self.config["emb_layer_norm_before"]:
            embeddings.layer_norm = nn.LayerNorm(hidden, eps=eps)
        encoder = _named(layer=nn.ModuleList(EsmLayer(hidden, intermediate, heads, eps, rotary, glu, ffn_bias)
                                             for _ in range(layers)),
                         emb_layer_norm_after=nn.LayerNorm(hidden, eps=eps))
        self.esm = _named(embeddings=embeddings, encoder=encoder, contact_head=ContactHead(layers * heads))
        head_edits.number([getattr(layer.attention, "self") for layer in encoder.layer])
        self.lm_head = LmHead(hidden, words.weight, eps, decoder=True)

    def embed(self, ids):
        e = self.esm.embeddings
        x = e.word_embeddings(ids)
        if self.config["token_dropout"]:
            masked = ids == self.mask_id
            x = x.masked_fill(masked[:, None], 0.0)
            x = x * (1 - 0.15 * 0.8) / (1 - masked.float().mean())
        if hasattr(e, "position_embeddings"):
            x = x + e.position_embeddings(torch.arange(len(ids)) + self.pad_id + 1)
        if hasattr(e, "layer_norm"):
            x = e.layer_norm(x)
        return x

    def forward(self, ids):
        x = self.embed(ids)
        attentions = []
        for layer in self.esm.encoder.layer:
            x, probs = layer(x)
            attentions.append(probs)
        attention = torch.stack(attentions)  # [layers, H, T, T]
        logits = self.lm_head(self.esm.encoder.emb_layer_norm_after(x))
        contacts = self.esm.contact_head(attention[..., 1:-1, 1:-1])
        return {"attention": attention, "logits": logits, "contacts": contacts}

    def state_dict_for_file(self):
        """The tensors of model.safetensors: without the tied lm_head.decoder.weight, as released."""
        return {k: v for k, v in self.state_dict().items() if k != "lm_head.decoder.weight"}


def perturb_(model, std=0.1, seed=0):
    """LayerNorm weights and every bias away from 1 / 0, so that a misread one shows."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or "norm" in name.lower():
                p.add_(torch.randn(p.shape, generator=g) * std)


def export(model, directory, tensors=None):
    """Writes DIR/config.json and DIR/model.safetensors (and vocab.txt for esm), float32."""
    os.makedirs(directory, exist_ok=True)
    if tensors is None:
        tensors = model.state_dict_for_file() if isinstance(model, Esm) else model.state_dict()
    ax.save_safetensors({k: v.detach().float().numpy() for k, v in tensors.items()},
                        os.path.join(directory, "model.safetensors"))
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")
    if isinstance(model, Esm):
        with open(os.path.join(directory, "vocab.txt"), "w") as f:
            f.write("\n".join(model.vocab) + "\n")


def save_npy(path, tensor):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(tensor.detach().float().numpy(), dtype=np.float32))
