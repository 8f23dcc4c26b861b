#!/usr/bin/env python3
"""Writes tests/data/checkpoints/fairesm: the golden protein models of tests/data/golden/proteins
(random weights; tools/make_protein_golden.py checks their outputs against PyTorch) saved as
fair-esm's released files are: one torch.save'd dict per model with the raw tensor names that
esm/pretrained.py reads, and the contact regression in NAME-contact-regression.pt beside it.

    /usr/bin/python3 tools/make_fairesm_golden.py [OUT_DIR]   (default tests/data/checkpoints/fairesm)

- esm2_t2_small.pt: ESM-2 (esm_small): {"model": raw state dict, "cfg": {"model": Namespace(encoder_layers,
  encoder_embed_dim, encoder_attention_heads, token_dropout, ...)}}; names carry "encoder.sentence_encoder."
  or "encoder." (lm_head), which _load_model_and_alphabet_core_v2 strips.
- esm1b_t2_absolute.pt: ESM-1b (esm1b_absolute): {"model", "args": Namespace(arch="roberta_large",
  encoder_layers, ...)}; learned positions, emb_layer_norm_before.
- esm_msa1b_t2_small.pt: the MSA Transformer (msa_small): arch "msa_transformer", row and column
  swapped in every name as in the released files (pretrained.py swaps them back).
- esm2_t2_noregression.pt: ESM-2 with no regression file beside it.

fair-esm itself cannot be installed here (PyPI is not reachable), so these files are written from
the reference implementation's tensors under the raw names fair-esm's loader reads (esm/pretrained.py
at commit acea2c4 for v1, the v2 loader for ESM-2), not by fair-esm.
"""
import argparse
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "tests", "data", "golden", "proteins")

HF_TO_FAIR = [("attention.self.query.", "self_attn.q_proj."), ("attention.self.key.", "self_attn.k_proj."),
              ("attention.self.value.", "self_attn.v_proj."), ("attention.self.rotary_embeddings.", "self_attn.rot_emb."),
              ("attention.output.dense.", "self_attn.out_proj."), ("attention.LayerNorm.", "self_attn_layer_norm."),
              ("intermediate.dense.", "fc1."), ("output.dense.", "fc2."), ("LayerNorm.", "final_layer_norm.")]
HF_TOP = [("esm.embeddings.word_embeddings.", "embed_tokens."), ("esm.embeddings.position_embeddings.", "embed_positions."),
          ("esm.embeddings.layer_norm.", "emb_layer_norm_before."), ("esm.encoder.emb_layer_norm_after.", "emb_layer_norm_after."),
          ("esm.contact_head.", "contact_head.")]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name != "__metadata__":
            a, b = h["data_offsets"]
            out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(h["shape"]).clone()
    return out


def fair_name(hf):
    """A Hugging Face EsmForMaskedLM name as fair-esm's model.state_dict() has it."""
    if hf.startswith("esm.encoder.layer."):
        n, rest = hf[len("esm.encoder.layer."):].split(".", 1)
        for a, b in HF_TO_FAIR:
            if rest.startswith(a):
                return f"layers.{n}." + b + rest[len(a):]
        raise ValueError(hf)
    if hf == "lm_head.decoder.weight":
        return "lm_head.weight"
    for a, b in HF_TOP:
        if hf.startswith(a):
            return b + hf[len(a):]
    return hf


def raw(state, regression):
    """fair-esm state dict names -> the file's: the encoder prefix on everything but the regression."""
    model, reg = {}, {}
    for k, v in state.items():
        if k.startswith("contact_head."):
            reg[k] = v
        elif k.startswith("lm_head."):
            model["encoder." + k] = v
        else:
            model["encoder.sentence_encoder." + k] = v
    return model, (reg if regression else None)


def save(out, name, data, reg):
    torch.save(data, os.path.join(out, name + ".pt"))
    if reg is not None:
        torch.save({"model": reg}, os.path.join(out, name + "-contact-regression.pt"))


def esm_state(case):
    hf = read_safetensors(os.path.join(GOLDEN, case, "model", "model.safetensors"))
    config = json.load(open(os.path.join(GOLDEN, case, "model", "config.json")))
    return {fair_name(k): v for k, v in hf.items()}, config


def swap_row_column(name):
    return name.replace("row", "column") if "row" in name else name.replace("column", "row")


def main(out):
    os.makedirs(out, exist_ok=True)
    state, c = esm_state("esm_small")
    state["lm_head.weight"] = state["embed_tokens.weight"]  # ESM2 keeps the tied weight in its state dict
    cfg = {"model": argparse.Namespace(_name="ESM2", encoder_layers=c["num_hidden_layers"], encoder_embed_dim=c["hidden_size"],
                                       encoder_attention_heads=c["num_attention_heads"], token_dropout=c["token_dropout"],
                                       dropout=0.0, max_positions=1024)}
    for name, regression in (("esm2_t2_small", True), ("esm2_t2_noregression", False)):
        model, reg = raw(state, regression)
        save(out, name, {"model": model, "cfg": cfg}, reg)
    state, c = esm_state("esm1b_absolute")
    assert c["emb_layer_norm_before"] and c["position_embedding_type"] == "absolute"
    args = argparse.Namespace(arch="roberta_large", encoder_layers=c["num_hidden_layers"], encoder_embed_dim=c["hidden_size"],
                              encoder_ffn_embed_dim=c["intermediate_size"], encoder_attention_heads=c["num_attention_heads"],
                              max_positions=c["max_position_embeddings"] - 2, token_dropout=c["token_dropout"], dropout=0.1,
                              final_bias=True, data="/checkpoint/uniref50")
    model, reg = raw(state, True)
    save(out, "esm1b_t2_absolute", {"model": model, "args": args, "optimizer_history": [{"lr": 1e-4}]}, reg)
    msa = read_safetensors(os.path.join(GOLDEN, "msa_small", "model", "model.safetensors"))
    c = json.load(open(os.path.join(GOLDEN, "msa_small", "model", "config.json")))
    args = argparse.Namespace(arch="msa_transformer", encoder_layers=c["layers"], encoder_embed_dim=c["embed_dim"],
                              encoder_ffn_embed_dim=c["ffn_embed_dim"], encoder_attention_heads=c["attention_heads"],
                              max_positions=c["max_positions"], embed_positions_msa=False, max_tokens_per_msa=2 ** 14)
    model, reg = raw({swap_row_column(k): v for k, v in msa.items() if k != "lm_head.weight"}, True)
    reg = {k: v for k, v in reg.items()}
    save(out, "esm_msa1b_t2_small", {"model": model, "args": args}, reg)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "tests", "data", "checkpoints", "fairesm"))
