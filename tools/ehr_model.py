#!/usr/bin/env python3
"""PyTorch reference of the EHR model family ("ehr_encoder", issue 11), the contract a PyTorch
user exports with state_dict():

    code_embed      nn.Embedding(V, d) over config["codes"] ([PAD] 0, [CLS] 1, [UNK] 2)
    time_cve        nn.Sequential(nn.Linear(1, k), nn.Tanh(), nn.Linear(k, d))   (STraTS' CVE)
    value_cve       the same shape
    encoder         nn.TransformerEncoder (batch_first), encoder.norm when final_norm
    classifier      nn.Linear(d, C) on [CLS]

Tokens: [CLS] (its embedding only), then every timed event in time order (ties in input order,
static rows are not tokens), each code_embed[code] + time_cve(t) + m * value_cve(z), with
t = (time - first event's time) in days / time_scale_days, z = (value - mean) / std from
value_stats, m = 1 when the event has a number and its code has stats. Unknown codes are [UNK].
Beyond max_events the most recent events are kept. Run with /usr/bin/python3 (Debian's
python3-torch)."""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402

SPECIAL = ["[PAD]", "[CLS]", "[UNK]"]


def make_ehr_config(codes, d_model, n_heads, n_layers, dim_feedforward, labels, cve_hidden=16, time_scale_days=365.25,
                    max_events=512, value_stats=None, activation="gelu", norm_first=True, final_norm=True,
                    layer_norm_eps=1e-5):
    return {"family": "ehr_encoder", "d_model": d_model, "n_heads": n_heads, "n_layers": n_layers,
            "dim_feedforward": dim_feedforward, "activation": activation, "norm_first": norm_first,
            "layer_norm_eps": layer_norm_eps, "final_norm": final_norm, "labels": list(labels),
            "codes": SPECIAL + [c for c in codes if c not in SPECIAL], "cve_hidden": cve_hidden,
            "time_scale_days": time_scale_days, "max_events": max_events, "value_stats": value_stats or {}}


def cve(k, d):
    return nn.Sequential(nn.Linear(1, k), nn.Tanh(), nn.Linear(k, d))


class EhrReference(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = self.config = config
        d, k = c["d_model"], c["cve_hidden"]
        self.code_embed = nn.Embedding(len(c["codes"]), d)
        self.time_cve = cve(k, d)
        self.value_cve = cve(k, d)
        layer = nn.TransformerEncoderLayer(d, c["n_heads"], c["dim_feedforward"], dropout=0.0, activation=c["activation"],
                                           layer_norm_eps=c["layer_norm_eps"], batch_first=True, norm_first=c["norm_first"])
        norm = nn.LayerNorm(d, eps=c["layer_norm_eps"]) if c["final_norm"] else None
        self.encoder = nn.TransformerEncoder(layer, c["n_layers"], norm=norm, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, len(c["labels"]))

    def embed(self, ids, t, z, m):
        """ids, t, z, m: [B, T] (position 0 is [CLS], whose time and value terms are left out)."""
        events = self.time_cve(t.unsqueeze(-1)) + m.unsqueeze(-1) * self.value_cve(z.unsqueeze(-1))
        not_cls = torch.ones_like(t)
        not_cls[:, 0] = 0.0
        return self.code_embed(ids) + not_cls.unsqueeze(-1) * events

    def forward(self, ids, t, z, m, padding=None):
        h = self.encoder(self.embed(ids, t, z, m), src_key_padding_mask=padding)
        return self.classifier(h[:, 0])

    def forward_recorded(self, ids, t, z, m):
        """One record [1, T] -> (logits [C], hidden [T, d], [attention [H, T, T] per layer])."""
        h, attentions = ax.encoder_recorded(self.encoder, self.embed(ids, t, z, m))
        logits = self.classifier(h[:, 0])
        return logits[0].detach().numpy().astype(np.float32), h[0].detach().numpy().astype(np.float32), attentions


def tokenize(config, events):
    """events: dicts with "time" (seconds since 1970 UTC, or None for a static row), "code" and
    "numeric" (or None), in input order -> (ids, t, z, m) as float64 / int64 numpy arrays of T
    tokens ([CLS] first), and how many events were left out at the front (beyond max_events)."""
    index = {c: i for i, c in enumerate(config["codes"])}
    timed = [e for e in events if e["time"] is not None]
    timed = sorted(timed, key=lambda e: e["time"])  # stable: ties keep the input order
    dropped = max(0, len(timed) - config["max_events"])
    timed = timed[dropped:]
    first = timed[0]["time"] if timed else 0
    ids, t, z, m = [1], [0.0], [0.0], [0.0]
    for e in timed:
        ids.append(index.get(e["code"], 2))
        t.append((e["time"] - first) / 86400.0 / config["time_scale_days"])
        stats = config["value_stats"].get(e["code"])
        has = e.get("numeric") is not None and stats is not None
        z.append((e["numeric"] - stats[0]) / stats[1] if has else 0.0)
        m.append(1.0 if has else 0.0)
    return np.array(ids, np.int64), np.array(t), np.array(z), np.array(m), dropped


def as_batch(ids, t, z, m):
    return (torch.from_numpy(ids)[None], torch.from_numpy(t).float()[None], torch.from_numpy(z).float()[None],
            torch.from_numpy(m).float()[None])


def read_state(directory):
    """model.safetensors (float32, as export_ehr writes it) as a state_dict."""
    raw = open(os.path.join(directory, "model.safetensors"), "rb").read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    state = {}
    for name, info in header.items():
        if name != "__metadata__":
            a, b = info["data_offsets"]
            state[name] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(info["shape"]).clone()
    return state


def export_ehr(model, directory):
    os.makedirs(directory, exist_ok=True)
    tensors = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    ax.save_safetensors(tensors, os.path.join(directory, "model.safetensors"))
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")
