#!/usr/bin/env python3
"""Trains the protein demo models on the trypsin alignment and fits their contact heads.

Usage: /usr/bin/python3 tools/train_proteins.py [--steps-msa N] [--steps-esm N] [--out resources]

Data: Debian theseus-examples' trypsins (tests/data/msa/tryps.a2m.gz: 189 sequences x 441
columns, and one PDB file per sequence in ../shared/data/msa/theseus_trypsins/, whose ungapped
row is its chain's sequence). Writes:
- resources/models/protein_msa/: a small msa_transformer (4 layers, width 64, 4 heads), trained
  by masked-language modelling on subsampled rows of the whole alignment;
- resources/models/protein_esm/: a tiny esm (ESM-2 shape: rotary, token dropout; 4 layers,
  width 64, 4 heads), trained the same way on the 189 ungapped sequences;
- each model's TRAINING.md: what was trained on, the split, and the measured precision.

The split is by query: the contact regression (the only part that sees structures) is fitted on
the `train` queries and measured on the disjoint `test` queries, 1A0J_A (the demo) among them.
The language models see every sequence of the family (no structures): the numbers are for a
model trained on this family, not for unseen proteins.
"""
import argparse
import gzip
import json
import math
import os
import pathlib
import sys

import numpy as np
import torch
from torch.nn import functional as F

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import protein_models as pm  # noqa: E402
from make_msa_expected import columns_of, fasta_records, greedy_select, mi_apc, weights  # noqa: E402
from make_structure_expected import precision, residues  # noqa: E402

STRUCTURES = ROOT.parent / "shared" / "data" / "msa" / "theseus_trypsins"
MSA_ROWS = 64  # rows the MSA Transformer sees when measured (greedy diverse, the query first): the app's default


def load_family():
    rows, _, _ = columns_of(fasta_records(gzip.open(ROOT / "tests/data/msa/tryps.a2m.gz", "rt").read()))
    names = [n.split(".")[0] for n, _ in rows]
    return names, [s for _, s in rows]


def true_contacts(name, sequence):
    """[L, L]: 1 contact (Cbeta < 8 A, Calpha for Gly, separation >= 6), 0 none, -1 no coordinates."""
    from Bio.PDB import PDBParser
    import io
    structure = PDBParser(QUIET=True).get_structure(name, io.StringIO(gzip.open(STRUCTURES / f"{name}.pdb.gz", "rt").read()))
    res = residues(next(structure[0].get_chains()))
    letters = "".join(r[0] for r in res)
    if letters != sequence:
        raise SystemExit(f"{name}: the structure's sequence differs from the alignment's row")
    n = len(res)
    truth = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(n):
            if res[i][1] is None or res[j][1] is None:
                truth[i, j] = -1
            elif abs(i - j) >= 6 and np.linalg.norm(res[i][1] - res[j][1]) < 8.0:
                truth[i, j] = 1
    return truth


def mask_tokens(tokens, rng, vocab):
    """BERT masking of 15 % of the residue tokens: 80 % <mask>, 10 % random residue, 10 % kept."""
    tokens = tokens.clone()
    residue = tokens > pm.UNK
    chosen = (torch.rand(tokens.shape, generator=rng) < 0.15) & residue
    u = torch.rand(tokens.shape, generator=rng)
    tokens[chosen & (u < 0.8)] = pm.MASK
    random = chosen & (u >= 0.8) & (u < 0.9)
    tokens[random] = torch.randint(4, 24, tokens.shape, generator=rng)[random]
    return tokens, chosen


def msa_tokens(aligned, rows):
    return torch.tensor([[pm.CLS] + pm.encode(aligned[r]) for r in rows])


def train_msa(aligned, steps, seed):
    torch.manual_seed(seed)
    rng = torch.Generator().manual_seed(seed)
    model = pm.MsaTransformer(4, 64, 128, 4, max_positions=448)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    gen = np.random.default_rng(seed)
    for step in range(steps):
        rows = [int(gen.integers(len(aligned)))] + list(gen.choice(len(aligned), 15, replace=False))
        target = msa_tokens(aligned, rows)
        inputs, chosen = mask_tokens(target, rng, len(pm.ESM_ALPHABET))
        logits = model(inputs)["logits"]
        loss = F.cross_entropy(logits[chosen], target[chosen])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            print(f"msa step {step}: loss {loss.item():.3f}", flush=True)  # noqa
    return model.eval()


def train_esm(sequences, steps, seed, batch=8):
    torch.manual_seed(seed)
    rng = torch.Generator().manual_seed(seed)
    model = pm.Esm(4, 64, 128, 4, max_positions=1026)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    gen = np.random.default_rng(seed)
    for step in range(steps):
        opt.zero_grad()
        total = 0.0
        for i in gen.choice(len(sequences), batch, replace=False):
            target = torch.tensor([pm.CLS] + pm.encode(sequences[i]) + [pm.EOS])
            inputs, chosen = mask_tokens(target, rng, len(pm.ESM_ALPHABET))
            loss = F.cross_entropy(model(inputs)["logits"][chosen], target[chosen]) / batch
            loss.backward()
            total += loss.item()
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            print(f"esm step {step}: loss {total:.3f}", flush=True)
    return model.eval()


def query_rows(aligned, q):
    """The query first, then the rows the app's default (diverse, 64) keeps with it."""
    order = [q] + [r for r in range(len(aligned)) if r != q]
    chosen = greedy_select([("", aligned[r]) for r in order], MSA_ROWS)
    return [order[i] for i in chosen]


def head_maps(model, aligned, q, axial):
    """Every head's symmetrised, APC-corrected map over the query's residues: [layers * heads, L, L]."""
    with torch.no_grad():
        if axial:
            out = model(msa_tokens(aligned, query_rows(aligned, q)))
            attention = out["row_attention"][..., 1:, 1:]
            keep = [c for c, ch in enumerate(aligned[q]) if ch != "-"]
            attention = attention[..., keep, :][..., keep]
        else:
            seq = aligned[q].replace("-", "")
            out = model(torch.tensor([pm.CLS] + pm.encode(seq) + [pm.EOS]))
            attention = out["attention"][..., 1:-1, 1:-1]
    layers, heads, n, _ = attention.shape
    return pm.apc(pm.symmetrize(attention.reshape(layers * heads, n, n)))


def pair_features(maps, truth):
    n = truth.shape[0]
    i, j = np.triu_indices(n, 6)
    ok = truth[i, j] >= 0
    return maps[:, i[ok], j[ok]].T, torch.tensor(truth[i[ok], j[ok]])


def fit_regression(model, aligned, queries, truths, axial):
    xs, ys = [], []
    for q in queries:
        x, y = pair_features(head_maps(model, aligned, q, axial), truths[q])
        xs.append(x)
        ys.append(y)
    x, y = torch.cat(xs), torch.cat(ys)
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(x @ w + b, y) + 1e-3 * w.abs().sum()  # L1, as ESM's regression
        loss.backward()
        return loss

    opt.step(closure)
    regression = model.contact_head.regression if axial else model.esm.contact_head.regression
    with torch.no_grad():
        regression.weight.copy_(w.detach()[None])
        regression.bias.copy_(b.detach())


def measure(model, aligned, queries, truths, axial, best_head, mi):
    rows = {"contact_head": [], "best_head": [], "mi_apc": []}
    for q in queries:
        maps = head_maps(model, aligned, q, axial)
        regression = model.contact_head.regression if axial else model.esm.contact_head.regression
        with torch.no_grad():
            head = torch.sigmoid(regression(maps.permute(1, 2, 0)).squeeze(-1)).numpy()
        keep = [c for c, ch in enumerate(aligned[q]) if ch != "-"]
        baseline = mi[np.ix_(keep, keep)]
        truth, n = truths[q], truths[q].shape[0]
        for key, scores in (("contact_head", head), ("best_head", maps[best_head].numpy()), ("mi_apc", baseline)):
            rows[key].append((precision(scores, truth, 24, 10 ** 6, n), precision(scores, truth, 24, 10 ** 6, n // 5)))
    return {k: (float(np.mean([a for a, _ in v])), float(np.mean([b for _, b in v]))) for k, v in rows.items()}


def choose_best_head(model, aligned, queries, truths, axial):
    """The head with the highest mean long-range P@L on the train queries (never the test ones)."""
    scores = None
    for q in queries:
        maps = head_maps(model, aligned, q, axial).numpy()
        n = truths[q].shape[0]
        p = np.array([precision(m, truths[q], 24, 10 ** 6, n) for m in maps])
        scores = p if scores is None else scores + p
    return int(np.argmax(scores))


def identity(a, b):
    pairs = [(x, y) for x, y in zip(a, b) if x != "-" or y != "-"]
    return sum(x == y for x, y in pairs) / max(1, len(pairs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps-msa", type=int, default=600)
    p.add_argument("--steps-esm", type=int, default=600)
    p.add_argument("--queries", type=int, default=40, help="queries in each of the train and test sets")
    p.add_argument("--out", default=str(ROOT / "resources"))
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(1)  # the second core is the other job's; two threads contend and run slower
    names, aligned = load_family()
    order = [int(i) for i in np.random.default_rng(a.seed).permutation(len(names)) if names[i] != "1A0J_A"]
    test = [names.index("1A0J_A")] + order[: a.queries - 1]
    train = order[a.queries - 1: 2 * a.queries - 1]
    truths = {q: true_contacts(names[q], aligned[q].replace("-", "")) for q in train + test}
    nearest = [max(identity(aligned[t], aligned[r]) for r in train) for t in test]
    print("computing MI-APC over the whole alignment", flush=True)
    mi = mi_apc([("", s) for s in aligned], weights([("", s) for s in aligned]))
    split = {"train": [names[q] for q in train], "test": [names[q] for q in test],
             "test_identity_to_nearest_train": {"mean": float(np.mean(nearest)), "max": float(np.max(nearest))}}
    for axial, folder, steps in ((True, "protein_msa", a.steps_msa), (False, "protein_esm", a.steps_esm)):
        model = train_msa(aligned, steps, a.seed) if axial else train_esm([s.replace("-", "") for s in aligned], steps, a.seed)
        fit_regression(model, aligned, train, truths, axial)
        best = choose_best_head(model, aligned, train, truths, axial)
        result = measure(model, aligned, test, truths, axial, best, mi)
        demo = measure(model, aligned, [test[0]], truths, axial, best, mi)
        directory = pathlib.Path(a.out) / "models" / folder
        pm.export(model, str(directory))
        heads = model.config.get("attention_heads", model.config.get("num_attention_heads"))
        report = {"model": folder, "steps": steps, "rows_seen": MSA_ROWS if axial else 1, "split": split,
                  "best_head": {"layer": best // heads, "head": best % heads},
                  "test_mean": result, "demo_1A0J_A": demo}
        with open(directory / "training.json", "w") as f:
            json.dump(report, f, indent=2)
        print(json.dumps({k: report[k] for k in ("model", "best_head", "test_mean", "demo_1A0J_A")}), flush=True)


if __name__ == "__main__":
    main()
