#!/usr/bin/env python3
"""Writes tests/data/golden/sequence/: small random models of the checkpoints researchers have for
DNA and single protein sequences, as their Hugging Face directories hold them, the input each runs
on, and what the PyTorch references give for it.

- `nt_v1`: the Nucleotide Transformer v1 (HF EsmForMaskedLM: learned absolute positions, GELU
  feed-forward with biases, no LayerNorm before the layers), model.safetensors, 6-mer vocabulary.
- `nt_v2`: the Nucleotide Transformer v2 (InstaDeep's modeling_esm.py: rotary positions, the
  SiLU-gated feed-forward without biases), config.json with `auto_map` and no `model_type`,
  pytorch_model.bin written by torch.save, special_tokens_map.json without an eos_token.
- `protbert`: ProtBert (HF BertForMaskedLM over amino acids: post-LN BERT, the LM head tied to the
  word embeddings, no pooler), pytorch_model.bin with the tied decoder stored as HF saves it.

The references are tools/protein_models.py's `Esm` (with the v2 feed-forward) and
`BertMaskedLm` below, written from the published code; the tokenizers are written here from
their rules: greedy longest match over the vocabulary, left to right, for the Nucleotide
Transformer (Hugging Face's EsmTokenizer splits on every vocabulary token, longest first), and
ProtTrans' `re.sub(r"[UZOB]", "X", ...)` then one token per residue for ProtBert. Real weights
cannot be downloaded here: these are random.

Usage: /usr/bin/python3 tools/make_sequence_golden.py [OUT_DIR]
Read by tests/core/TestSequenceModels.cpp and tests/cli/TestCli.cpp.
"""
import itertools
import json
import math
import os
import re
import shutil
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402
import protein_models as pm  # noqa: E402

# The Nucleotide Transformer's vocab.txt layout: specials, the 4^6 six-mers, then the single letters.
NT_VOCAB = (["<unk>", "<pad>", "<mask>", "<cls>", "<eos>", "<bos>"]
            + ["".join(p) for p in itertools.product("ATCG", repeat=6)] + ["A", "T", "C", "G", "N"])
PROTBERT_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("LAGVESIKRDTPNQFYMHCWXUBZO")

# Odd lengths, an N inside a 6-mer frame, lowercase, a letter no vocabulary has (R).
NT_INPUTS = {"nt_v1": "ACGTTGCAacgtNGGATCCATTGACRTTAGCATGCAAGT",
             "nt_v2": "TTGACAGCTAGCTCAGTCCTAGGTATAATGCTAGCNNACGTACGTTGCATGCAGTCA"}
PROTBERT_INPUT = "MKTAYIAKQRUISFVKSHFSRQZLEERLGOIEVQBJAGLM"


def nt_tokenize(sequence, eos=False):
    """<cls>, then the longest vocabulary token at each place, left to right; <unk> for a letter
    no token starts with; <eos> only when the tokenizer files name one."""
    ids = {t: i for i, t in enumerate(NT_VOCAB)}
    s, out, i = sequence.upper(), [ids["<cls>"]], 0
    while i < len(s):
        for length in range(min(6, len(s) - i), 0, -1):
            if s[i:i + length] in ids:
                out.append(ids[s[i:i + length]])
                i += length
                break
        else:
            out.append(ids["<unk>"])
            i += 1
    return out + ([ids["<eos>"]] if eos else [])


def protbert_tokenize(residues):
    ids = {t: i for i, t in enumerate(PROTBERT_VOCAB)}
    s = re.sub(r"[UZOB]", "X", residues.upper())
    return [ids["[CLS]"]] + [ids.get(c, ids["[UNK]"]) for c in s] + [ids["[SEP]"]]


class BertMaskedLm(nn.Module):
    """Hugging Face's BertForMaskedLM, inference only, with its tensor names (bert.embeddings.*,
    bert.encoder.layer.{i}.*, cls.predictions.transform.*, cls.predictions.decoder tied to the word
    embeddings, cls.predictions.bias): post-LN, exact GELU, absolute positions, token type 0."""

    def __init__(self, config, vocab):
        super().__init__()
        self.config = config
        base = ax.BertReference(dict(config, id2label={"0": "a"}), vocab)
        self.bert = ax._Named(embeddings=base.bert.embeddings, encoder=base.bert.encoder)
        d, eps = config["hidden_size"], config["layer_norm_eps"]
        transform = ax._Named(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=eps))
        decoder = nn.Linear(d, len(vocab), bias=False)
        decoder.weight = self.bert.embeddings.word_embeddings.weight
        self.cls = ax._Named(predictions=ax._Named(transform=transform, decoder=decoder))
        self.cls.predictions.bias = nn.Parameter(torch.zeros(len(vocab)))

    def forward(self, ids):
        """ids [T] -> attention [layers, H, T, T], logits [T, V], hidden [T, d]."""
        e, heads, t = self.bert.embeddings, self.config["num_attention_heads"], ids.shape[0]
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(torch.arange(t))
                        + e.token_type_embeddings(torch.zeros_like(ids)))
        attentions = []
        for layer in self.bert.encoder.layer:
            sa, dh = layer.attention.self, x.shape[1] // heads
            q, k, v = (m(x).view(t, heads, dh).transpose(0, 1) for m in (sa.query, sa.key, sa.value))
            probs = ((q / math.sqrt(dh)) @ k.transpose(1, 2)).softmax(-1)
            attentions.append(probs)
            context = (probs @ v).transpose(0, 1).reshape(t, -1)
            x = layer.attention.output.LayerNorm(x + layer.attention.output.dense(context))
            x = layer.output.LayerNorm(x + layer.output.dense(F.gelu(layer.intermediate.dense(x))))
        p = self.cls.predictions
        h = p.transform.LayerNorm(F.gelu(p.transform.dense(x)))
        return torch.stack(attentions), p.decoder(h) + p.bias, x


def sharpen_(model, factor=3.0):
    """Scales the query and key projections so that heads are sharper than at initialisation."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("query.weight", "key.weight")):
                p.mul_(factor)


def mean_head_contacts(attention):
    """The mean over layers and heads of each head's symmetrised, APC-corrected map, over the
    residues (special tokens removed)."""
    maps = attention[..., 1:-1, 1:-1]
    return pm.apc(pm.symmetrize(maps)).mean(dim=(0, 1))


def save(directory, name, tensor):
    pm.save_npy(os.path.join(directory, "expected", name), tensor)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def nt_case(out, name, seed, v2):
    torch.manual_seed(seed)
    model = pm.Esm(2, 32, 48, 4, positional="rotary" if v2 else "absolute", token_dropout=False,
                   max_positions=66, vocab=NT_VOCAB, glu=v2, ffn_bias=not v2, embed_norm=False).eval()
    pm.perturb_(model, seed=seed)
    sharpen_(model)
    directory = os.path.join(out, name)
    pm.export(model, os.path.join(directory, "model"))
    model_dir = os.path.join(directory, "model")
    if v2:  # as InstaDeep publishes v2: its own code named by auto_map, no model_type, a .bin file
        config = dict(model.config, auto_map={"AutoConfig": "esm_config.EsmConfig",
                                              "AutoModelForMaskedLM": "modeling_esm.EsmForMaskedLM"})
        del config["model_type"]
        write_json(os.path.join(model_dir, "config.json"), config)
        os.remove(os.path.join(model_dir, "model.safetensors"))
        torch.save(model.state_dict_for_file(), os.path.join(model_dir, "pytorch_model.bin"))
    write_json(os.path.join(model_dir, "special_tokens_map.json"),
               {"cls_token": "<cls>", "mask_token": "<mask>", "pad_token": "<pad>", "unk_token": "<unk>"})
    sequence = NT_INPUTS[name]
    with open(os.path.join(directory, "input.fa"), "w") as f:
        f.write(f">{name}_input random DNA with N and R\n{sequence}\n")
    ids = nt_tokenize(sequence)
    write_json(os.path.join(directory, "tokens.json"), {"sequence": sequence, "ids": ids,
                                                         "tokens": [NT_VOCAB[i] for i in ids]})
    with torch.no_grad():
        r = model(torch.tensor(ids))
    save(directory, "attention.npy", r["attention"])
    save(directory, "logits.npy", r["logits"])


def protbert_case(out, seed):
    torch.manual_seed(seed)
    config = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 32,
              "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_size": 64, "hidden_act": "gelu",
              "layer_norm_eps": 1e-12, "max_position_embeddings": 64, "type_vocab_size": 2,
              "vocab_size": len(PROTBERT_VOCAB), "position_embedding_type": "absolute"}
    model = BertMaskedLm(config, PROTBERT_VOCAB).eval()
    pm.perturb_(model, seed=seed)
    sharpen_(model)
    directory = os.path.join(out, "protbert")
    model_dir = os.path.join(directory, "model")
    os.makedirs(model_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(model_dir, "pytorch_model.bin"))  # decoder stored, tied
    write_json(os.path.join(model_dir, "config.json"), config)
    with open(os.path.join(model_dir, "vocab.txt"), "w") as f:
        f.write("\n".join(PROTBERT_VOCAB) + "\n")
    with open(os.path.join(directory, "input.fasta"), "w") as f:
        f.write(f">protbert_input random residues with U Z O B J\n{PROTBERT_INPUT}\n")
    ids = protbert_tokenize(PROTBERT_INPUT)
    write_json(os.path.join(directory, "tokens.json"), {"sequence": PROTBERT_INPUT, "ids": ids})
    with torch.no_grad():
        attention, logits, _ = model(torch.tensor(ids))
    save(directory, "attention.npy", attention)
    save(directory, "logits.npy", logits)
    save(directory, "contacts.npy", mean_head_contacts(attention))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                                                             "golden", "sequence")
    shutil.rmtree(out, ignore_errors=True)
    nt_case(out, "nt_v1", 11, v2=False)
    nt_case(out, "nt_v2", 12, v2=True)
    protbert_case(out, 13)


if __name__ == "__main__":
    main()
