#!/usr/bin/env python3
"""Attributions of the PyTorch references from the published formulas (docs/attributions.md), computed
the way the reference repositories compute them: every part materialised as [T, T, d], in float64.
Written from the papers' definitions and their code (docs/research/attributions.md), not from
attnscope's.

    Attn-N  (Kobayashi et al. 2020)   N_ij = || sum_h alpha^h_ij f^h(x_j) ||,  f^h(x_j) = W_O^h v^h_j
    GlobEnc (Modarressi et al. 2022)  z_ij = a_ij + delta_ij x_j through norm1 and norm2 (the FFN
                                      skipped; neither LayerNorm's shift, nor b_O, in a part), then
                                      the layers' plain product
    ALTI    (Ferrando et al. 2022)    c_ij = max(0, ||y_i||_1 - ||y_i - T_i(x_j)||_1), rows normalised,
                                      then the layers' product

Pre-LN layers have no LayerNorm after the residual: the parts are z_ij themselves (ALTI's pre-LN
branch), and GlobEnc's N-Enc is ||z_ij|| (AttnRes-N: attnscope's adaptation, documented).

A reference that supports tracing calls `record(...)` once per layer while `tracing()` is on.
"""
import contextlib

import torch

_TRACE = None


def tracing():
    """True while a trace is being taken."""
    return _TRACE is not None


def record(**parts):
    """One layer's tensors: norm_first, x [T, d], values [T, d], weights [H, T, T], out_weight [d, d],
    out_bias [d], after_attention [T, d], after_norm1 and before_norm2 [T, d] (post-LN) or None,
    norm1 and norm2 (nn.LayerNorm), padding [T] bool or None."""
    if _TRACE is not None:
        _TRACE.append({k: (v.detach().double() if torch.is_tensor(v) and v.is_floating_point() else v) for k, v in parts.items()})


@contextlib.contextmanager
def traced():
    """Collects the layers recorded inside it, in order."""
    global _TRACE
    previous, _TRACE = _TRACE, []
    try:
        yield _TRACE
    finally:
        _TRACE = previous


def _norm_part(m, norm, scale):
    """A part's share of a LayerNorm's output: centred on its own mean, times gamma / scale_i."""
    return norm.weight.detach().double() * (m - m.mean(-1, keepdim=True)) / scale


def _scale(p, norm):
    return torch.sqrt(p.var(-1, unbiased=False) + norm.eps)


def decompose(t):
    """One traced layer -> dict of attn_n, globenc, alti [T, T] and the reconstruction error."""
    x, w = t["x"], t["weights"]
    tokens, d = x.shape
    heads = w.shape[0]
    v = t["values"].view(tokens, heads, d // heads)
    f = torch.einsum("thk,dhk->htd", v, t["out_weight"].view(d, heads, d // heads))  # f^h(x_j)
    a = torch.einsum("hij,hjd->ijd", w, f)
    attn_n = a.norm(dim=-1)
    z = a + torch.eye(tokens, dtype=x.dtype)[:, :, None] * x[None, :, :]
    b = t["out_bias"]
    if t["norm_first"]:
        parts, y, real = z, z.sum(1) + b, t["after_attention"]
        globenc = z.norm(dim=-1)
    else:
        n1, n2 = t["norm1"], t["norm2"]
        s1 = _scale(t["after_attention"], n1)
        parts = _norm_part(z, n1, s1[:, None, None])
        y = parts.sum(1) + _norm_part(b[None, :], n1, s1[:, None]) + n1.bias.detach().double()
        real = t["after_norm1"]
        globenc = _norm_part(parts, n2, _scale(t["before_norm2"], n2)[:, None, None]).norm(dim=-1)
    kept = torch.ones(tokens, dtype=torch.bool) if t["padding"] is None else ~t["padding"]
    c = torch.relu(y.abs().sum(-1)[:, None] - (y[:, None, :] - parts).abs().sum(-1)) * kept[None, :]
    alti = c / c.sum(-1, keepdim=True)
    outer = kept[:, None] & kept[None, :]
    error = float((y - real)[kept].abs().max() / real[kept].abs().max())
    return {"attn_n": attn_n * outer, "globenc": globenc * outer, "alti": torch.nan_to_num(alti) * outer, "error": error}


def rolled_out(layers, row=0):
    """Row `row` of M_last ... M_1 (plain products, no identity, nothing renormalised)."""
    r = layers[-1][row]
    for m in reversed(layers[:-1]):
        r = r @ m
    return r
