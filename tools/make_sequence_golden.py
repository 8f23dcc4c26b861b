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
- `dnabert2`: DNABERT-2 ("MosaicBERT", bert_layers.py's plain PyTorch path: ALiBi with 12 heads,
  so the slopes' rule for a head count that is no power of two, packed Wqkv, the GELU-gated
  feed-forward, post-LN, BertForMaskedLM's head), config.json as published since 2024 (auto_map,
  no model_type), pytorch_model.bin, and a tokenizer.json in DNABERT-2's layout ([UNK] [CLS] [SEP]
  [PAD] [MASK], A C G T, then one token per merge) whose 160 merges are learned here from the demo's
  splice sequences. Its token ids come from npm's @huggingface/tokenizers (tools/bpe_reference.mjs;
  needs node and `npm install --prefix tools @huggingface/tokenizers@0.2.0`).

The references are tools/protein_models.py's `Esm` (with the v2 feed-forward) and
`BertMaskedLm` below, written from the published code; the tokenizers are written here from
their rules: greedy longest match over the vocabulary, left to right, for the Nucleotide
Transformer (Hugging Face's EsmTokenizer splits on every vocabulary token, longest first), and
ProtTrans' `re.sub(r"[UZOB]", "X", ...)` then one token per residue for ProtBert. Real weights
cannot be downloaded here: these are random.

Usage: /usr/bin/python3 tools/make_sequence_golden.py [OUT_DIR]
Read by tests/core/TestSequenceModels.cpp and tests/cli/TestCli.cpp.
"""
import collections
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402
import attributions  # noqa: E402
import head_edits  # noqa: E402
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
        for index, layer in enumerate(self.bert.encoder.layer):
            sa, dh = layer.attention.self, x.shape[1] // heads
            q, k, v = (m(x).view(t, heads, dh).transpose(0, 1) for m in (sa.query, sa.key, sa.value))
            if head_edits.active():
                probs, context = head_edits.attend(index, (q / math.sqrt(dh)) @ k.transpose(1, 2), v)
            else:
                probs = ((q / math.sqrt(dh)) @ k.transpose(1, 2)).softmax(-1)
                context = (probs @ v).transpose(0, 1).reshape(t, -1)
            attentions.append(probs)
            x_in, after_attention = x, x + layer.attention.output.dense(context)
            x = layer.attention.output.LayerNorm(after_attention)
            before_norm2 = x + layer.output.dense(F.gelu(layer.intermediate.dense(x)))
            if attributions.tracing():
                ax.record_bert_layer(layer, x_in, v, probs, after_attention, x, before_norm2)
            x = layer.output.LayerNorm(before_norm2)
        p = self.cls.predictions
        h = p.transform.LayerNorm(F.gelu(p.transform.dense(x)))
        return torch.stack(attentions), p.decoder(h) + p.bias, x


DNABERT2_SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
# Odd lengths, an N (not in the vocabulary), a lowercase letter (no normalizer: unknown too), a long run.
DNABERT2_INPUTS = ["ACGTAGCTAGGTAAGTCTTCAGGTACGATCGATCNGATTACA", "GGTAAGTacGTAGGTGAGT", "A", "TTTTTTTTTTTTTTTTTTTTTTTTTTT",
                   "CAGGTAAGTGCTGGGGCAGCTCTCCTGCCCCTAGGTAAGTCAGG"]


def learn_merges(sequences, count):
    """Plain BPE training: the most frequent adjacent pair, ties by first seen, merged everywhere."""
    words = [list(s) for s in sequences]
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for w in words:
            pairs.update(zip(w, w[1:]))
        if not pairs:
            break
        (a, b), _ = pairs.most_common(1)[0]
        merges.append((a, b))
        for i, w in enumerate(words):
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
    return merges


def dnabert2_tokenizer_json(merges):
    vocab = DNABERT2_SPECIALS + list("ACGT")
    for a, b in merges:
        if a + b not in vocab:
            vocab.append(a + b)
    special = lambda t: {"id": t, "type_id": 0}  # noqa: E731
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in enumerate(DNABERT2_SPECIALS)],
        "normalizer": None, "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": special("[CLS]")}, {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": special("[SEP]")}],
                           "pair": [{"SpecialToken": special("[CLS]")}, {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": special("[SEP]")}, {"Sequence": {"id": "B", "type_id": 1}},
                                    {"SpecialToken": special("[SEP]")}],
                           "special_tokens": {t: {"id": t, "ids": [DNABERT2_SPECIALS.index(t)], "tokens": [t]}
                                              for t in ("[CLS]", "[SEP]")}},
        "decoder": None,
        "model": {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "vocab": {t: i for i, t in enumerate(vocab)}, "merges": [f"{a} {b}" for a, b in merges]},
    }


def bpe_reference(tokenizer_path, sequences):
    """Token ids from npm's @huggingface/tokenizers (tools/bpe_reference.mjs)."""
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, NODE_PATH=os.environ.get("NODE_PATH", os.path.join(here, "node_modules")))
    out = subprocess.run(["node", os.path.join(here, "bpe_reference.mjs"), tokenizer_path], input="\n".join(sequences) + "\n",
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


class MosaicBert(nn.Module):
    """DNABERT-2's BertForMaskedLM (bert_layers.py, the plain PyTorch attention path), one sequence,
    no padding, with its tensor names."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        d, ff, eps, v = config["hidden_size"], config["intermediate_size"], config["layer_norm_eps"], config["vocab_size"]
        embeddings = ax._Named(word_embeddings=nn.Embedding(v, d), token_type_embeddings=nn.Embedding(2, d),
                               LayerNorm=nn.LayerNorm(d, eps=eps))
        layers = nn.ModuleList()
        for _ in range(config["num_hidden_layers"]):
            attention = ax._Named(self=ax._Named(Wqkv=nn.Linear(d, 3 * d)),
                                  output=ax._Named(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=eps)))
            mlp = ax._Named(gated_layers=nn.Linear(d, 2 * ff, bias=False), wo=nn.Linear(ff, d), layernorm=nn.LayerNorm(d, eps=eps))
            layers.append(ax._Named(attention=attention, mlp=mlp))
        self.bert = ax._Named(embeddings=embeddings, encoder=ax._Named(layer=layers))
        transform = ax._Named(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=1e-12))
        decoder = nn.Linear(d, v)
        decoder.weight = embeddings.word_embeddings.weight
        self.cls = ax._Named(predictions=ax._Named(transform=transform, decoder=decoder))

    @staticmethod
    def slopes(n):
        def power_of_2(n):
            start = 2 ** (-2 ** -(math.log2(n) - 3))
            return [start * start ** i for i in range(n)]
        if math.log2(n).is_integer():
            return power_of_2(n)
        p = 2 ** math.floor(math.log2(n))
        return power_of_2(p) + MosaicBert.slopes(2 * p)[0::2][:n - p]

    @staticmethod
    def record_layer(layer, x, values, probs, after_attention, after_norm1, before_norm2):
        """Hands tools/attributions.py one post-LN layer: input x [T, d], values [T, d] (Wqkv's V third,
        bias included), weights [H, T, T] (ALiBi included), the output dense, and the states around
        attention.output.LayerNorm (norm1) and mlp.layernorm (norm2, after the gated feed-forward)."""
        dense = layer.attention.output.dense
        attributions.record(norm_first=False, x=x, values=values, weights=probs, out_weight=dense.weight,
                            out_bias=dense.bias, after_attention=after_attention, after_norm1=after_norm1,
                            before_norm2=before_norm2, norm1=layer.attention.output.LayerNorm, norm2=layer.mlp.layernorm,
                            padding=None)

    def forward(self, ids):
        c, e, t = self.config, self.bert.embeddings, ids.shape[0]
        heads, ff = c["num_attention_heads"], c["intermediate_size"]
        x = e.LayerNorm(e.word_embeddings(ids) + e.token_type_embeddings(torch.zeros_like(ids)))
        position = torch.arange(t)
        alibi = torch.Tensor(self.slopes(heads))[:, None, None] * -(position[None, :] - position[:, None]).abs()
        attentions = []
        for index, layer in enumerate(self.bert.encoder.layer):
            dh = x.shape[1] // heads
            qkv = layer.attention.self.Wqkv(x).view(t, 3, heads, dh)
            q, k, v = qkv[:, 0].transpose(0, 1), qkv[:, 1].permute(1, 2, 0), qkv[:, 2].transpose(0, 1)
            if head_edits.active():
                probs, context = head_edits.attend(index, torch.matmul(q, k) / math.sqrt(dh) + alibi, v)
            else:
                probs = (torch.matmul(q, k) / math.sqrt(dh) + alibi).softmax(-1)
                context = (probs @ v).transpose(0, 1).reshape(t, -1)
            attentions.append(probs)
            x_in, after_attention = x, layer.attention.output.dense(context) + x
            x = layer.attention.output.LayerNorm(after_attention)
            h = layer.mlp.gated_layers(x)
            before_norm2 = layer.mlp.wo(F.gelu(h[:, :ff]) * h[:, ff:]) + x
            if attributions.tracing():
                self.record_layer(layer, x_in, qkv[:, 2].reshape(t, -1), probs, after_attention, x, before_norm2)
            x = layer.mlp.layernorm(before_norm2)
        p = self.cls.predictions
        return torch.stack(attentions), p.decoder(p.transform.LayerNorm(F.gelu(p.transform.dense(x))))


def dnabert2_case(out, seed):
    torch.manual_seed(seed)
    directory = os.path.join(out, "dnabert2")
    model_dir = os.path.join(directory, "model")
    os.makedirs(model_dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "resources", "models", "splice", "examples.fa")) as f:
        corpus = [line.strip() for line in f if line.strip() and not line.startswith(">")]
    tokenizer = dnabert2_tokenizer_json(learn_merges(corpus, 160))
    write_json(os.path.join(model_dir, "tokenizer.json"), tokenizer)
    config = {"alibi_starting_size": 512, "attention_probs_dropout_prob": 0.0,
              "auto_map": {"AutoConfig": "configuration_bert.BertConfig", "AutoModel": "bert_layers.BertModel",
                           "AutoModelForMaskedLM": "bert_layers.BertForMaskedLM",
                           "AutoModelForSequenceClassification": "bert_layers.BertForSequenceClassification"},
              "hidden_act": "gelu", "hidden_size": 48, "intermediate_size": 40, "layer_norm_eps": 1e-12,
              "max_position_embeddings": 64, "num_attention_heads": 12, "num_hidden_layers": 2, "type_vocab_size": 2,
              "vocab_size": len(tokenizer["model"]["vocab"])}
    write_json(os.path.join(model_dir, "config.json"), config)
    model = MosaicBert(config).eval()
    pm.perturb_(model, seed=seed)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("Wqkv.weight"):
                p[: 2 * config["hidden_size"]].mul_(3.0)  # sharper heads: q and k rows
    torch.save(model.state_dict(), os.path.join(model_dir, "pytorch_model.bin"))
    reference = bpe_reference(os.path.join(model_dir, "tokenizer.json"), DNABERT2_INPUTS)
    cases = []
    for n, (sequence, tokens) in enumerate(zip(DNABERT2_INPUTS, reference)):
        with torch.no_grad():
            attention, logits = model(torch.tensor(tokens["ids"]))
        save(directory, f"attention_{n}.npy", attention)
        save(directory, f"logits_{n}.npy", logits)
        cases.append({"sequence": sequence, "ids": tokens["ids"], "tokens": tokens["tokens"]})
    write_json(os.path.join(directory, "tokens.json"), cases)
    with open(os.path.join(directory, "input.fa"), "w") as f:
        f.write(f">dnabert2_input\n{DNABERT2_INPUTS[0]}\n")


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
    dnabert2_case(out, 14)


if __name__ == "__main__":
    main()
