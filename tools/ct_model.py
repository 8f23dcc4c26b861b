#!/usr/bin/env python3
"""PyTorch reference of attnscope's CT model family ("ct_encoder", core/model/CtModel.h):
a 3D convolutional stem (Conv3d, BatchNorm3d, ReLU per stage), a 1x1x1 projection to
d_model, a learned [CLS] token and learned positions, nn.TransformerEncoder, and a linear
classifier on [CLS]. state_dict() names are the model file's tensor names. Run with
/usr/bin/python3 (Debian's python3-torch)."""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402


def conv_out(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def make_ct_config(input_size, stem, d_model, n_heads, n_layers, dim_feedforward, labels, hu_window=(-1000, 2000),
                   activation="gelu", norm_first=True, final_norm=True, layer_norm_eps=1e-5):
    return {"family": "ct_encoder", "input_size": list(input_size), "hu_window": list(hu_window), "stem": stem,
            "batch_norm_eps": 1e-5, "d_model": d_model, "n_heads": n_heads, "n_layers": n_layers,
            "dim_feedforward": dim_feedforward, "activation": activation, "norm_first": norm_first,
            "final_norm": final_norm, "layer_norm_eps": layer_norm_eps, "labels": list(labels)}


class _Stage(nn.Module):
    def __init__(self, cin, stage):
        super().__init__()
        self.conv = nn.Conv3d(cin, stage["channels"], stage["kernel"], stage["stride"], stage.get("padding", 0))
        self.norm = nn.BatchNorm3d(stage["channels"], eps=1e-5)

    def forward(self, x):
        return torch.relu(self.norm(self.conv(x)))


class CtReference(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = self.config = config
        stages, cin = [], 1
        grid = list(c["input_size"])  # x, y, z
        for s in c["stem"]:
            stages.append(_Stage(cin, s))
            cin = s["channels"]
            grid = [conv_out(n, s["kernel"], s["stride"], s.get("padding", 0)) for n in grid]
        self.stem = nn.ModuleList(stages)
        d = c["d_model"]
        self.proj = nn.Conv3d(cin, d, 1)
        self.cls_token = nn.Parameter(torch.randn(1, 1, d) * 0.1)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + grid[0] * grid[1] * grid[2], d) * 0.1)
        layer = nn.TransformerEncoderLayer(d, c["n_heads"], c["dim_feedforward"], dropout=0.0, activation=c["activation"],
                                           layer_norm_eps=c["layer_norm_eps"], batch_first=True, norm_first=c["norm_first"])
        norm = nn.LayerNorm(d, eps=c["layer_norm_eps"]) if c["final_norm"] else None
        self.encoder = nn.TransformerEncoder(layer, c["n_layers"], norm=norm, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, len(c["labels"]))

    def tokens(self, x):
        """x: [B, 1, D, H, W] in [0, 1] -> [B, 1 + N, d]."""
        for stage in self.stem:
            x = stage(x)
        x = self.proj(x).flatten(2).transpose(1, 2)  # [B, N, d], positions in (z, y, x) order
        return torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed

    def forward(self, x):
        return self.classifier(self.encoder(self.tokens(x))[:, 0])

    def forward_recorded(self, x):
        """One volume [1, 1, D, H, W] -> (logits [C], hidden [T, d], [attention [H, T, T] per layer])."""
        h, attentions = ax.encoder_recorded(self.encoder, self.tokens(x))
        logits = self.classifier(h[:, 0])
        return logits[0].detach().numpy().astype(np.float32), h[0].detach().numpy().astype(np.float32), attentions


def export_ct(model, directory):
    os.makedirs(directory, exist_ok=True)
    tensors = {k: v.detach().float().numpy() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    ax.save_safetensors(tensors, os.path.join(directory, "model.safetensors"))
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")


def load_dicom_study(directory):
    """An axial DICOM study read with pydicom, as attnscope reads it: HU volume [z, y, x] float32
    (slices sorted by ImagePositionPatient z, rescale applied), origin (x, y, z) mm of voxel 0,
    spacing (x, y, z) mm with the mean slice step."""
    import glob

    import pydicom
    ds = [pydicom.dcmread(f) for f in sorted(glob.glob(os.path.join(directory, "*.dcm")))]
    ds.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    assert [float(v) for v in ds[0].ImageOrientationPatient] == [1, 0, 0, 0, 1, 0], "not an axial study"
    vol = np.stack([d.pixel_array.astype(np.float64) * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in ds])
    zs = np.array([float(d.ImagePositionPatient[2]) for d in ds])
    spacing = np.array([float(ds[0].PixelSpacing[1]), float(ds[0].PixelSpacing[0]), float(np.mean(np.diff(zs)))])
    origin = np.array([float(v) for v in ds[0].ImagePositionPatient])
    return vol.astype(np.float32), origin, spacing


def load_ct(directory):
    """A CtReference with the weights of a ct_encoder directory (config.json + F32 model.safetensors)."""
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(directory, "model.safetensors"), "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    state = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", name
        lo, hi = t["data_offsets"]
        state[name] = torch.from_numpy(np.frombuffer(raw[8 + n + lo:8 + n + hi], np.float32).reshape(t["shape"]).copy())
    model = CtReference(config).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    return model
