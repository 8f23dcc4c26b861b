#!/usr/bin/env python3
"""Writes tests/data/golden/interventions: for one golden model of every family, what the PyTorch
reference computes when heads are changed (zero, mean, uniform, T = 2, several at once, and the MSA
Transformer's column attention), with the edits of tools/head_edits.py.

    /usr/bin/python3 tools/make_intervention_golden.py

Each model is read from its own golden directory (the files attnscope reads), and its reference is
first run with no edits through the same code path: it must give that directory's expected outputs
(1e-5), so the edited runs are of the same model. Per case: edits.json (the --intervene specs),
logits.npy, attention_layer_XX.npy [H, T, T] (the attention used) and, for the MSA Transformer,
column_attention_layer_XX.npy [H * C, R, R] (head h's column c at h * C + c).
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import attnscope_export as ax  # noqa: E402
import ct_model  # noqa: E402
import ehr_model  # noqa: E402
import head_edits  # noqa: E402
import make_monai_golden as mmg  # noqa: E402
import make_sequence_golden as msg  # noqa: E402
import protein_models as pm  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "tests", "data", "golden")
OUT = os.path.join(GOLDEN, "interventions")


def npy(path):
    return np.load(path).astype(np.float32)


def layers_of(path_pattern, count):
    return [npy(path_pattern % i) for i in range(count)]


def classifier_expected(d, layers):
    """A classifier golden directory's expected/logits.npy and attention_layer_XX.npy."""
    return {"logits": npy(os.path.join(d, "expected/logits.npy")),
            "attention": layers_of(os.path.join(d, "expected/attention_layer_%02d.npy"), layers)}


def torch_encoder(name):
    d = os.path.join(GOLDEN, name)
    config = json.load(open(os.path.join(d, "config.json")))
    model = ax.Classifier(config).eval()
    model.load_state_dict(ehr_model.read_state(d))
    inp = json.load(open(os.path.join(d, "input.json")))
    padding = torch.tensor(inp["key_padding"]) if any(inp["key_padding"]) else None

    def run():
        logits, _, attention = model.forward_recorded(torch.tensor(inp["ids"]), padding)
        return {"logits": logits, "attention": attention}
    return run, classifier_expected(d, config["n_layers"]), (config["n_layers"], config["n_heads"])


def bert():
    d = os.path.join(GOLDEN, "bert_kmer3")
    config = json.load(open(os.path.join(d, "config.json")))
    vocab = open(os.path.join(d, "vocab.txt")).read().split()
    model = ax.BertReference(config, vocab).eval()
    model.load_state_dict(ehr_model.read_state(d), strict=False)
    ids = torch.tensor(json.load(open(os.path.join(d, "input.json")))["ids"])

    def run():
        logits, _, attention = model.forward_recorded(ids)
        return {"logits": logits, "attention": attention}
    n = config["num_hidden_layers"]
    return run, classifier_expected(d, n), (n, config["num_attention_heads"])


def ct():
    d = os.path.join(GOLDEN, "ct")
    model = ct_model.load_ct(d)
    x = torch.from_numpy(npy(os.path.join(d, "input.npy")))[None, None]

    def run():
        logits, _, attention = model.forward_recorded(x)
        return {"logits": logits, "attention": attention}
    c = model.config
    return run, classifier_expected(d, c["n_layers"]), (c["n_layers"], c["n_heads"])


def ehr():
    d = os.path.join(GOLDEN, "ehr")
    config = json.load(open(os.path.join(d, "config.json")))
    model = ehr_model.EhrReference(config).eval()
    model.load_state_dict(ehr_model.read_state(d))
    ids, t, z, m = np.load(os.path.join(d, "expected/tokens.npy")).astype(np.float64)
    batch = ehr_model.as_batch(ids.astype(np.int64), t, z, m)

    def run():
        logits, _, attention = model.forward_recorded(*batch)
        return {"logits": logits, "attention": attention}
    return run, classifier_expected(d, config["n_layers"]), (config["n_layers"], config["n_heads"])


def sequence_expected(d, layers):
    attention = npy(os.path.join(d, "expected/attention.npy"))
    return {"logits": npy(os.path.join(d, "expected/logits.npy")), "attention": [attention[i] for i in range(layers)]}


def esm(directory, ids, **kwargs):
    d = os.path.join(GOLDEN, directory)
    c = json.load(open(os.path.join(d, "model", "config.json")))
    model = pm.Esm(c["num_hidden_layers"], c["hidden_size"], c["intermediate_size"], c["num_attention_heads"],
                   positional=c["position_embedding_type"], token_dropout=c["token_dropout"],
                   max_positions=c["max_position_embeddings"], **kwargs).eval()
    weights = os.path.join(d, "model", "model.safetensors")
    state = ehr_model.read_state(os.path.dirname(weights)) if os.path.exists(weights) else \
        torch.load(os.path.join(d, "model", "pytorch_model.bin"))
    model.load_state_dict(state, strict=False)

    def run():
        with torch.no_grad():
            r = model(torch.tensor(ids))
        return {"logits": r["logits"].numpy(), "attention": [a.numpy() for a in r["attention"]]}
    n = c["num_hidden_layers"]
    return run, sequence_expected(d, n), (n, c["num_attention_heads"])


def esm_small():
    d = os.path.join(GOLDEN, "proteins", "esm_small")
    sequence = "".join(line.strip() for line in open(os.path.join(d, "input.fasta")) if not line.startswith(">"))
    return esm("proteins/esm_small", [pm.CLS] + pm.encode(sequence) + [pm.EOS])


def nt_v2():
    d = os.path.join(GOLDEN, "sequence", "nt_v2")
    ids = json.load(open(os.path.join(d, "tokens.json")))["ids"]
    return esm("sequence/nt_v2", ids, vocab=msg.NT_VOCAB, glu=True, ffn_bias=False, embed_norm=False)


def protbert():
    d = os.path.join(GOLDEN, "sequence", "protbert")
    config = json.load(open(os.path.join(d, "model", "config.json")))
    model = msg.BertMaskedLm(config, msg.PROTBERT_VOCAB).eval()
    model.load_state_dict(torch.load(os.path.join(d, "model", "pytorch_model.bin")))
    ids = torch.tensor(json.load(open(os.path.join(d, "tokens.json")))["ids"])

    def run():
        with torch.no_grad():
            attention, logits, _ = model(ids)
        return {"logits": logits.numpy(), "attention": [a.numpy() for a in attention]}
    n = config["num_hidden_layers"]
    return run, sequence_expected(d, n), (n, config["num_attention_heads"])


def dnabert2():
    d = os.path.join(GOLDEN, "sequence", "dnabert2")
    config = json.load(open(os.path.join(d, "model", "config.json")))
    model = msg.MosaicBert(config).eval()
    model.load_state_dict(torch.load(os.path.join(d, "model", "pytorch_model.bin")))
    ids = torch.tensor(json.load(open(os.path.join(d, "tokens.json")))[0]["ids"])

    def run():
        with torch.no_grad():
            attention, logits = model(ids)
        return {"logits": logits.numpy(), "attention": [a.numpy() for a in attention]}
    n = config["num_hidden_layers"]
    attention = npy(os.path.join(d, "expected/attention_0.npy"))
    expected = {"logits": npy(os.path.join(d, "expected/logits_0.npy")), "attention": [attention[i] for i in range(n)]}
    return run, expected, (n, config["num_attention_heads"])


def a3m_rows(path):
    rows = [line.strip() for line in open(path) if line.strip() and not line.startswith(">")]
    return ["".join(ch for ch in r if not ch.islower() and ch != ".") for r in rows]


def msa():
    d = os.path.join(GOLDEN, "proteins", "msa_small")
    c = json.load(open(os.path.join(d, "model", "config.json")))
    model = pm.MsaTransformer(c["layers"], c["embed_dim"], c["ffn_embed_dim"], c["attention_heads"], c["max_positions"]).eval()
    model.load_state_dict(ehr_model.read_state(os.path.join(d, "model")), strict=False)
    tokens = torch.tensor([[pm.CLS] + pm.encode(r) for r in a3m_rows(os.path.join(d, "input.a3m"))])

    def run():
        with torch.no_grad():
            r = model(tokens)
        return {"logits": r["logits"].numpy(), "attention": [a.numpy() for a in r["row_attention"]],
                "column": [a.numpy() for a in r["column_attention"]]}
    row, column = npy(os.path.join(d, "expected/row_attention.npy")), npy(os.path.join(d, "expected/column_attention.npy"))
    expected = {"logits": npy(os.path.join(d, "expected/logits.npy")), "attention": list(row), "column": list(column)}
    return run, expected, (c["layers"], c["attention_heads"])


def monai(name):
    d = os.path.join(GOLDEN, "monai", name)
    case = mmg.CASES[name]
    model = mmg.build(case).eval()
    model.load_state_dict(torch.load(os.path.join(d, "models", "model.pt")))
    x = torch.from_numpy(npy(os.path.join(d, "input.npy")))[None]

    def run():
        with torch.no_grad():
            out = model(x)
        return {"logits": out[0][0].numpy(), "attention": [a[0].numpy() for a in out[-1]]}
    n = case.get("num_layers", 12)
    logits = "expected_logits.npy" if case["kind"] == "vit" else "expected_segmentation.npy"
    expected = {"logits": npy(os.path.join(d, logits)), "attention": layers_of(os.path.join(d, "expected_layer_%02d.npy"), n)}
    return run, expected, (n, case["num_heads"])


FAMILIES = {
    "torch_encoder_preln": lambda: torch_encoder("preln_gelu"),
    "torch_encoder_postln_padded": lambda: torch_encoder("postln_relu_padded"),
    "bert": bert,
    "ct_encoder": ct,
    "ehr_encoder": ehr,
    "esm": esm_small,
    "nucleotide_transformer_v2": nt_v2,
    "protbert": protbert,
    "dnabert2": dnabert2,
    "msa_transformer": msa,
    "monai_vit": lambda: monai("vit_conv"),
    "monai_unetr": lambda: monai("unetr_conv"),
}


def cases(layers, heads, columns):
    last, other = layers - 1, min(1, heads - 1)
    out = {"zero": [f"{last},{other}:zero"], "mean": [f"0,{other}:mean"], "uniform": [f"{last},0:uniform"],
           "T2": [f"0,{heads - 1}:T=2"],
           "several": [f"0,0:zero", f"0,{other}:uniform", f"{last},{heads - 1}:T=0.5", f"{last},0:copy={other}",
                       f"{last},{other}:scale=1.5"]}
    if columns:
        out.update({"column_zero": [f"{last},{other},column:zero"], "column_mean": [f"0,0,column:mean"],
                    "column_uniform": [f"0,{other},column:uniform"], "column_T2": [f"{last},0,column:T=2"]})
    return out


def biggest_difference(a, b):
    return max(float(np.abs(np.asarray(x, np.float32) - np.asarray(y, np.float32)).max())
               for key in a for x, y in (zip(a[key], b[key]) if isinstance(a[key], list) else [(a[key], b[key])]))


def write_family(name, make):
    run, expected, (layers, heads) = make()
    with head_edits.editing([]):
        same = biggest_difference(run(), expected)
    assert same < 1e-5, f"{name}: the edited path without edits differs from the golden files by {same}"
    for case, specs in cases(layers, heads, "column" in expected).items():
        d = os.path.join(OUT, name, case)
        os.makedirs(d)
        with head_edits.editing(specs):
            r = run()
        json.dump({"edits": specs}, open(os.path.join(d, "edits.json"), "w"))
        np.save(os.path.join(d, "logits.npy"), np.ascontiguousarray(r["logits"], np.float32))
        for i, a in enumerate(r["attention"]):
            np.save(os.path.join(d, f"attention_layer_{i:02d}.npy"), np.ascontiguousarray(a, np.float32))
        for i, a in enumerate(r.get("column", [])):  # [H, C, R, R] as [H * C, R, R]: attnscope's column store
            np.save(os.path.join(d, f"column_attention_layer_{i:02d}.npy"), np.ascontiguousarray(a.reshape(-1, *a.shape[2:]), np.float32))
        moved = float(np.abs(r["logits"] - expected["logits"]).max())
        print(f"{name} {case}: logits moved by up to {moved:.4g}")


def main():
    torch.set_num_threads(1)
    shutil.rmtree(OUT, ignore_errors=True)
    for name, make in FAMILIES.items():
        write_family(name, make)


if __name__ == "__main__":
    main()
