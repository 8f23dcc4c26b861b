#!/usr/bin/python3
"""Writes tests/data/msa/expected.json: what each alignment in tests/data/msa holds, read by
Biopython (Stockholm, Clustal) or by the A3M rule of ESM's read_msa (FASTA-like files), not by
attnscope. Also writes the two Clustal test files from Stockholm ones with Biopython's writer.

Run with Debian's python3 (python3-biopython, python3-numpy):  /usr/bin/python3 tools/make_msa_expected.py
The column convention checked: when a file has lowercase letters, they and '.' are insertions
and are removed; otherwise '.' is a gap. Letters are compared uppercase, gaps as '-'.
Sequence weights: 1 / #(rows at >= 80 % identity, gaps included); Neff their sum. The diverse
subsample is ESM's greedy_select (max mode) from its MSA Transformer example notebook.
The coevolution baseline of fn3.sto: MI-APC from ProDy 2.3 (buildMutinfoMatrix with
ambiguity=False, applyMutinfoCorr 'apc'; unweighted, as ProDy has no weights) into
fn3_mi_apc_prody.npy, and, weighted at 80 % identity by numpy below, that of columns 200-319 of the trypsins into
tryps_200_320_mi_apc_weighted.npy.
"""
import gzip
import json
import pathlib

import numpy as np
from Bio import AlignIO

HERE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "msa"


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def fasta_records(text):
    records, name, seq = [], None, []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith(">"):
            if name is not None:
                records.append((name, "".join(seq)))
            name, seq = line[1:].strip(), []
        elif name is not None:
            seq.append(line.strip())
    if name is not None:
        records.append((name, "".join(seq)))
    skip = ("ss_pred", "ss_conf", "ss_dssp", "sa_dssp")
    return [(n, s) for n, s in records if n.split(" ")[0].lower() not in skip and not n.lower().startswith("consensus")]


def columns_of(rows):
    """(rows after the convention, number of characters removed)."""
    insertions = any(c.islower() for _, s in rows for c in s)
    out, removed = [], 0
    for name, s in rows:
        if insertions:
            kept = "".join(c for c in s if c == "-" or c.isupper())
        else:
            kept = s.replace(".", "-").upper()
        removed += len(s) - len(kept)
        out.append((name, kept))
    return out, removed, insertions


def weights(rows):
    a = np.array([list(s) for _, s in rows], dtype="U1").view(np.int32)
    n, length = a.shape
    same = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        same[i] = (a == a[i]).sum(axis=1)
    needed = int(np.ceil(0.8 * length - 1e-9))
    return 1.0 / (same >= needed).sum(axis=1)


def greedy_select(rows, num_seqs):
    """ESM's greedy_select(msa, num_seqs, mode="max"), with the Hamming distances counted in
    integers: ESM's floating-point means can break an exact tie either way; here a tie goes to
    the earlier row, as argmax does on equal values."""
    if len(rows) <= num_seqs:
        return list(range(len(rows)))
    array = np.array([list(s) for _, s in rows], dtype="U1").view(np.int32)
    all_indices = np.arange(len(rows))
    indices = [0]
    pairwise = np.zeros((0, len(rows)), dtype=np.int64)
    for _ in range(num_seqs - 1):
        dist = (array[indices[-1]][None, :] != array).sum(axis=1)[None, :]
        pairwise = np.concatenate([pairwise, dist])
        shifted = np.delete(pairwise, indices, axis=1).sum(0)
        index = np.delete(all_indices, indices)[int(np.argmax(shifted))]
        indices.append(int(index))
    return sorted(indices)


def mi_apc(rows, w):
    """Weighted MI (27 states: letters and '-') with APC, diagonal 0."""
    a = np.array([[ord(c) for c in s] for _, s in rows])
    state = np.where(a == ord("-"), 26, a - ord("A"))
    n, length = state.shape
    w = np.asarray(w, dtype=np.float64) / np.sum(w)
    single = np.zeros((length, 27))
    for c in range(length):
        np.add.at(single[c], state[:, c], w)
    mi = np.zeros((length, length))
    for i in range(length):
        for j in range(i + 1, length):
            pair = np.zeros((27, 27))
            np.add.at(pair, (state[:, i], state[:, j]), w)
            x, y = np.nonzero(pair)
            f = pair[x, y]
            mi[i, j] = mi[j, i] = np.sum(f * np.log(f / (single[i, x] * single[j, y])))
    avg = mi.sum(1) / (length - 1)
    out = mi - np.outer(avg, avg) / avg.mean()
    np.fill_diagonal(out, 0)
    return out


def describe(fmt, rows, removed, gc=None):
    w = weights(rows)
    cells = len(rows) * len(rows[0][1])
    entry = {
        "format": fmt,
        "sequences": len(rows),
        "columns": len(rows[0][1]),
        "query": rows[0][0].split(" ")[0],
        "neff": float(w.sum()),
        "gap_fraction": sum(s.count("-") for _, s in rows) / cells,
        "insertions_removed": removed,
        "first": rows[0][1],
        "row_hashes": [fnv1a(s) for _, s in rows],
        "last_name": rows[-1][0],
        "diverse_16": greedy_select(rows, 16),
    }
    if gc:
        entry["column_annotations"] = gc
    return entry


def fasta_like(path, text):
    raw = fasta_records(text)
    rows, removed, insertions = columns_of(raw)
    equal = len({len(s) for _, s in raw}) == 1
    fmt = ("a2m" if equal else "a3m") if insertions else "aligned-fasta"
    return describe(fmt, rows, removed)


def stockholm(path):
    aln = AlignIO.read(str(path), "stockholm")
    rows, removed, _ = columns_of([(r.id, str(r.seq)) for r in aln])
    gc = {}
    for line in path.read_text().splitlines():  # Biopython renames the #=GC tags; keep the file's
        if line.startswith("#=GC"):
            _, tag, chars = line.split(None, 2)
            gc[tag] = gc.get(tag, "") + chars.strip()
    return describe("stockholm", rows, removed, gc)


def clustal(path):
    aln = AlignIO.read(str(path), "clustal")
    rows, removed, _ = columns_of([(r.id, str(r.seq)) for r in aln])
    return describe("clustal", rows, removed)


def main():
    for name in ("globins4", "fn3"):
        AlignIO.write(AlignIO.read(str(HERE / f"{name}.sto"), "stockholm"), str(HERE / f"{name}.aln"), "clustal")
    expected = {
        "hhsuite_query.a3m": fasta_like(HERE / "hhsuite_query.a3m", (HERE / "hhsuite_query.a3m").read_text()),
        "tryps.a2m.gz": fasta_like(HERE / "tryps.a2m.gz", gzip.open(HERE / "tryps.a2m.gz", "rt").read()),
    }
    for name in ("Pkinase.sto", "fn3.sto", "globins4.sto"):
        expected[name] = stockholm(HERE / name)
    for name in ("globins4.aln", "fn3.aln"):
        expected[name] = clustal(HERE / name)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    from prody import applyMutinfoCorr, buildMutinfoMatrix

    fn3, _, _ = columns_of([(r.id, str(r.seq)) for r in AlignIO.read(str(HERE / "fn3.sto"), "stockholm")])
    chars = np.array([list(s) for _, s in fn3], dtype="S1")
    prody = applyMutinfoCorr(buildMutinfoMatrix(chars, ambiguity=False), corr="apc")
    np.fill_diagonal(prody, 0)
    np.save(HERE / "fn3_mi_apc_prody.npy", prody.astype(np.float32))
    # fn3's sequences are all under 80 % identical (Neff 98 of 98): the weights are checked on
    # columns 200-319 of the trypsins (Neff about 50 of 189)
    raw = fasta_records(gzip.open(HERE / "tryps.a2m.gz", "rt").read())
    tryps = [(n, s[200:320]) for n, s in columns_of(raw)[0]]
    np.save(HERE / "tryps_200_320_mi_apc_weighted.npy", mi_apc(tryps, weights(tryps)).astype(np.float32))
    print("trypsins 200-319: Neff", float(weights(tryps).sum()))
    print("fn3 MI-APC: ProDy unweighted vs numpy unweighted, max difference",
          float(np.abs(prody - mi_apc(fn3, np.ones(len(fn3)))).max()))
    for name, e in expected.items():
        print(f"{name}: {e['format']}, {e['sequences']} x {e['columns']}, Neff {e['neff']:.2f}, gaps {e['gap_fraction']:.3f}")


if __name__ == "__main__":
    main()
