#!/usr/bin/python3
"""Writes tests/data/msa/expected.json: what each alignment in tests/data/msa holds, read by
Biopython (Stockholm, Clustal) or by the A3M rule of ESM's read_msa (FASTA-like files), not by
attnscope. Also writes the two Clustal test files from Stockholm ones with Biopython's writer.

Run with Debian's python3 (python3-biopython, python3-numpy):  /usr/bin/python3 tools/make_msa_expected.py
The column convention checked: when a file has lowercase letters, they and '.' are insertions
and are removed; otherwise '.' is a gap. Letters are compared uppercase, gaps as '-'.
Sequence weights: 1 / #(rows at >= 80 % identity, gaps included); Neff their sum. The diverse
subsample is ESM's greedy_select (max mode) from its MSA Transformer example notebook.
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
    for name, e in expected.items():
        print(f"{name}: {e['format']}, {e['sequences']} x {e['columns']}, Neff {e['neff']:.2f}, gaps {e['gap_fraction']:.3f}")


if __name__ == "__main__":
    main()
