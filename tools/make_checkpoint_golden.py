#!/usr/bin/env python3
"""Writes tests/data/checkpoints: the `torch_encoder` models of tests/data/golden saved by PyTorch's
own torch.save in the ways researchers' files come, so that the C++ suite can check that each one
runs to exactly the outputs of the model.safetensors it came from (which the golden tests check
against PyTorch), and that what must be refused is refused.

    /usr/bin/python3 tools/make_checkpoint_golden.py [OUT_DIR]     (default tests/data/checkpoints)

Cases (each a model directory with the source's config.json):
  pt_zip          model.pt, the zip format, a plain state dict plus an int64 position_ids buffer
  bin_strided     pytorch_model.bin: every matrix a transposed (non-contiguous) view, every vector
                  a view into one shared storage at its own offset
  pt_wrapped      checkpoint.pth: {"model": state dict, "args": argparse.Namespace, ...}, protocol 4
  sharded_bin     pytorch_model.bin.index.json over two .bin shards
  sharded_st      model.safetensors.index.json over two .safetensors shards
  f64             model.pt with float64 storages (exact in float32)
  f16, bf16       the golden f16 / bf16 models as half and bfloat16 storages
  legacy          model.pt in the legacy format (_use_new_zipfile_serialization=False): refused
  whole_module    torch.save(module): refused, naming the module's class
  hostile         a pickle whose __reduce__ calls os.system: refused, and the command never runs
  hostile_eval    the same through builtins.eval and STACK_GLOBAL (protocol 4)

Deterministic: the weights are those of tests/data/golden; no random numbers are drawn.
"""
import argparse
import json
import os
import shutil
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import attnscope_export as ax  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "tests", "data", "golden")
# What the hostile pickles would do if they were ever run: the C++ test checks this file is never made.
MARKER = "/tmp/attnscope-hostile-pickle-ran"


def read_safetensors(path):
    """name -> torch tensor in the file's dtype (F32, F16, BF16)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        raw = torch.frombuffer(bytearray(data[a:b]), dtype=dtypes[h["dtype"]])
        out[name] = raw.reshape(h["shape"]).clone()
    return out


def model_dir(out, name, source="preln_gelu"):
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    shutil.copy(os.path.join(GOLDEN, source, "config.json"), d)
    return d


def state(source="preln_gelu"):
    return read_safetensors(os.path.join(GOLDEN, source, "model.safetensors"))


def strided(sd):
    """Matrices as transposed views; vectors as views into one flat storage."""
    vectors = [k for k, v in sd.items() if v.dim() == 1]
    flat = torch.cat([sd[k] for k in vectors] + [torch.zeros(3)])
    out, offset = {}, 0
    for k, v in sd.items():
        if v.dim() == 2:
            out[k] = v.t().contiguous().t()
            assert not out[k].is_contiguous()
        elif v.dim() == 1:
            out[k] = flat[offset:offset + v.numel()]
            offset += v.numel()
        else:
            out[k] = v
    return out


def shards(sd, names):
    keys = sorted(sd)
    half = len(keys) // 2
    return [({k: sd[k] for k in keys[:half]}, names[0]), ({k: sd[k] for k in keys[half:]}, names[1])]


def write_index(d, index_name, parts):
    weight_map = {k: name for part, name in parts for k in part}
    with open(os.path.join(d, index_name), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=2)


class Hostile:
    def __reduce__(self):
        return (os.system, ("touch " + MARKER,))


class HostileEval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('touch " + MARKER + "')",))


def main(out):
    os.makedirs(out, exist_ok=True)
    sd = state()
    with_buffer = dict(sd, **{"position_ids": torch.arange(64, dtype=torch.int64)[None]})
    torch.save(with_buffer, os.path.join(model_dir(out, "pt_zip"), "model.pt"))
    torch.save(strided(sd), os.path.join(model_dir(out, "bin_strided"), "pytorch_model.bin"))
    wrapped = {"model": sd, "args": argparse.Namespace(arch="toy", layers=3, embed_dim=16, dropout=0.1, tied=True, extra=None),
               "epoch": 3, "lr": 1e-4, "note": "wrapped", "history": [1.5, -2, (3, 4)], "big": 2 ** 40}
    torch.save(wrapped, os.path.join(model_dir(out, "pt_wrapped"), "checkpoint.pth"), pickle_protocol=4)
    d = model_dir(out, "sharded_bin")
    parts = shards(sd, ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"])
    for part, name in parts:
        torch.save(part, os.path.join(d, name))
    write_index(d, "pytorch_model.bin.index.json", parts)
    d = model_dir(out, "sharded_st")
    parts = shards(sd, ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
    for part, name in parts:
        ax.save_safetensors({k: v.numpy() for k, v in part.items()}, os.path.join(d, name))
    write_index(d, "model.safetensors.index.json", parts)
    torch.save({k: v.double() for k, v in sd.items()}, os.path.join(model_dir(out, "f64"), "model.pt"))
    for dtype in ("f16", "bf16"):
        half = state("preln_gelu_" + dtype)
        torch.save(half, os.path.join(model_dir(out, dtype, "preln_gelu_" + dtype), "model.pt"))
    torch.save(sd, os.path.join(model_dir(out, "legacy"), "model.pt"), _use_new_zipfile_serialization=False)
    module = torch.nn.TransformerEncoderLayer(16, 4, 32, batch_first=True)
    torch.save(module, os.path.join(model_dir(out, "whole_module"), "model.pt"))
    torch.save(Hostile(), os.path.join(model_dir(out, "hostile"), "model.pt"))
    torch.save(HostileEval(), os.path.join(model_dir(out, "hostile_eval"), "model.pt"), pickle_protocol=4)
    assert not os.path.exists(MARKER)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "tests", "data", "checkpoints"))
