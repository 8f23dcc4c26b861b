#!/usr/bin/env python3
"""Interventions on attention heads for the PyTorch references (docs/interventions.md), written
from their definitions, not from attnscope's code:

    zero      z_h = 0 before the output projection (Hugging Face's head_mask, TransformerLens's hook_z)
    mean      z_h at every token replaced by its mean over the input's unpadded tokens
    scale=x   z_h multiplied by x
    uniform   the head's weights replaced by 1/n over the keys each query may attend
    T=x       the head's logits divided by x before the softmax
    copy=G    the head's weights replaced by head G's (of the same layer)

A spec is "L,H:KIND" or "L,H,column:KIND" (the MSA Transformer's column attention), as
attnscope-cli run --intervene takes it. The references call `active()` at each attention and, when
edits are active, pass their logits, weights and head outputs through it:

    e = head_edits.active()
    if e: scores = e.logits(layer, scores)            # [H, ..., keys], heads first, before the softmax
    probs = scores.softmax(-1)
    if e: probs = e.weights(layer, scores, probs)     # uniform rows: the keys whose logit is finite
    z = ...                                           # [tokens, H, d_head]
    if e: z = e.outputs(layer, z, padding)
"""
import contextlib

import torch

import attributions

_ACTIVE = None


def parse(spec):
    where, kind = spec.split(":", 1)
    fields = where.split(",")
    part = "column" if len(fields) == 3 and fields[2] == "column" else "main"
    edit = {"layer": int(fields[0]), "head": int(fields[1]), "part": part, "kind": kind, "value": 1.0}
    for prefix, name in (("T=", "T"), ("scale=", "scale"), ("copy=", "copy")):
        if kind.startswith(prefix):
            edit["kind"], edit["value"] = name, float(kind[len(prefix):])
    assert edit["kind"] in ("zero", "mean", "scale", "uniform", "T", "copy"), spec
    return edit


class HeadEdits:
    def __init__(self, specs):
        self.edits = [parse(s) for s in specs]

    def _of(self, layer, part, kinds):
        return [e for e in self.edits if e["layer"] == layer and e["part"] == part and e["kind"] in kinds]

    def logits(self, layer, scores, part="main"):
        """Temperature and copied heads on the logits [H, ...] (masked keys at -inf)."""
        edits = self._of(layer, part, ("T", "copy"))
        if not edits:
            return scores
        out = scores.clone()
        for e in edits:
            if e["kind"] == "copy":
                out[e["head"]] = scores[int(e["value"])]
            else:
                out[e["head"]] = scores[e["head"]] / e["value"]
        return out

    def weights(self, layer, scores, probs, part="main"):
        """Uniform rows: 1/n over the keys whose logit is finite (those the query may attend)."""
        edits = self._of(layer, part, ("uniform",))
        if not edits:
            return probs
        out = probs.clone()
        for e in edits:
            allowed = torch.isfinite(scores[e["head"]]).to(probs.dtype)
            out[e["head"]] = allowed / allowed.sum(-1, keepdim=True)
        return out

    def outputs(self, layer, z, padding=None, part="main"):
        """Zero, mean or scale of head outputs z [tokens, H, d_head]; padding [tokens] bool or None."""
        edits = self._of(layer, part, ("zero", "mean", "scale"))
        if not edits:
            return z
        out = z.clone()
        kept = torch.ones(z.shape[0], dtype=torch.bool) if padding is None else ~padding
        for e in edits:
            h = e["head"]
            if e["kind"] == "zero":
                out[:, h] = 0
            elif e["kind"] == "scale":
                out[:, h] = z[:, h] * e["value"]
            else:
                out[:, h] = z[kept, h].mean(0)
        return out


def active():
    """The edits of the run going on, or None."""
    return _ACTIVE


@contextlib.contextmanager
def editing(specs):
    """Runs the enclosed references with these edits."""
    global _ACTIVE
    previous, _ACTIVE = _ACTIVE, HeadEdits(specs)
    try:
        yield _ACTIVE
    finally:
        _ACTIVE = previous


def mha_forward(module, layer, x, key_padding=None, keep=None):
    """nn.MultiheadAttention (batch_first, batch 1) on x [1, T, d], computed from its own weights with
    the active edits: (output [1, T, d], weights [1, H, T, T]). Without edits it equals the module.
    keep, a dict or None, receives the values V [T, d] (their bias included)."""
    e = active()
    t, d = x.shape[1], x.shape[2]
    heads = module.num_heads
    dh = d // heads
    qkv = torch.nn.functional.linear(x[0], module.in_proj_weight, module.in_proj_bias)
    q, k, v = (qkv[:, i * d:(i + 1) * d].view(t, heads, dh).transpose(0, 1) for i in range(3))
    if keep is not None:
        keep["values"] = qkv[:, 2 * d:]
    scores = (q * dh ** -0.5) @ k.transpose(1, 2)
    if key_padding is not None:
        scores = scores.masked_fill(key_padding[0][None, None, :], float("-inf"))
    if e:
        scores = e.logits(layer, scores)
    probs = scores.softmax(-1)
    if e:
        probs = e.weights(layer, scores, probs)
    z = (probs @ v).transpose(0, 1)  # [T, H, dh]
    if e:
        z = e.outputs(layer, z, None if key_padding is None else key_padding[0])
    out = module.out_proj(z.reshape(t, d))
    return out[None], probs[None]


def encoder_layer_forward(layer, index, x, key_padding=None):
    """nn.TransformerEncoderLayer (batch_first, dropout off) on x [1, T, d] with the active edits, as
    its own forward computes it (post- or pre-LN): (x', weights [H, T, T])."""
    keep = {} if attributions.tracing() else None

    def block(h):
        return mha_forward(layer.self_attn, index, h, key_padding, keep)

    def feed_forward(h):
        return layer.linear2(layer.activation(layer.linear1(h)))

    x_in = x
    if layer.norm_first:
        update, w = block(layer.norm1(x))
        x = x + update
        out, after_norm1, before_norm2 = x + feed_forward(layer.norm2(x)), None, None
    else:
        update, w = block(x)
        after_norm1 = layer.norm1(x_in + update)
        before_norm2 = after_norm1 + feed_forward(after_norm1)
        x, out = x_in + update, layer.norm2(before_norm2)
    if keep is not None:
        attributions.record(norm_first=layer.norm_first, x=x_in[0], values=keep["values"], weights=w[0],
                            out_weight=layer.self_attn.out_proj.weight, out_bias=layer.self_attn.out_proj.bias,
                            after_attention=x[0], after_norm1=None if after_norm1 is None else after_norm1[0],
                            before_norm2=None if before_norm2 is None else before_norm2[0], norm1=layer.norm1, norm2=layer.norm2,
                            padding=None if key_padding is None else key_padding[0])
    return out, w[0]


def encoder_forward(encoder, x, key_padding=None):
    """nn.TransformerEncoder on x [1, T, d] with the active edits: (hidden after its norm, [weights])."""
    attentions = []
    for i, layer in enumerate(encoder.layers):
        x, w = encoder_layer_forward(layer, i, x, key_padding)
        attentions.append(w.detach().numpy())
    if encoder.norm is not None:
        x = encoder.norm(x)
    return x, attentions


def attend(layer, scores, v, padding=None, part="main"):
    """Weights and head outputs of one attention with the active edits: scores [H, Tq, Tk] (scaled,
    biased, masked with -inf), v [H, Tk, d_head] -> (weights [H, Tq, Tk], context [Tq, H * d_head])."""
    e = active()
    scores = e.logits(layer, scores, part)
    probs = e.weights(layer, scores, scores.softmax(-1), part)
    z = e.outputs(layer, (probs @ v).transpose(0, 1), padding, part)
    return probs, z.reshape(z.shape[0], -1)


def number(modules):
    """Tells each attention module its layer (attention modules that do not see their layer's index)."""
    for i, m in enumerate(modules):
        m.edit_layer = i
