#!/usr/bin/python3
"""Writes tests/data/structure/expected.json: what Biopython (Bio.PDB) finds in the test
structures, not attnscope; and 1A0J_A.cif.gz, the same structure written as mmCIF by Biopython.

Run with Debian's python3 (python3-biopython, python3-numpy): /usr/bin/python3 tools/make_structure_expected.py
Contacts: Cbeta-Cbeta under 8 A (Calpha for glycine), at least 6 apart in the query's numbering;
short 6-11, medium 12-23, long >= 24. The query is row 0 of tests/data/msa/tryps.a2m.gz with its
gaps removed, which equals chain A of 1A0J (theseus-examples says so; checked below). The MI-APC
baseline's precision uses the reference of tools/make_msa_expected.py on the whole alignment, the
query's columns only, pairs ranked by score (ties: the pair nearer the start first).
"""
import gzip
import io
import json
import pathlib
import sys

import numpy as np
from Bio.PDB import MMCIFIO, PDBParser
from Bio.PDB.Polypeptide import protein_letters_3to1

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from make_msa_expected import columns_of, fasta_records, mi_apc, weights  # noqa: E402

HERE = ROOT / "tests" / "data" / "structure"


def residues(chain):
    out = []
    for r in chain:
        name = "MET" if r.get_resname() == "MSE" else r.get_resname()
        if name.capitalize() not in protein_letters_3to1 and name not in protein_letters_3to1:
            continue
        atom = "CA" if name == "GLY" else "CB"
        pos = r[atom].coord if atom in r else None  # disordered atoms: Biopython picks the highest occupancy
        out.append((protein_letters_3to1.get(name.capitalize(), protein_letters_3to1.get(name, "X")), pos))
    return out


def precision(scores, truth, lo, hi, k):
    pairs = [(-scores[i, j], i, j, truth[i, j] == 1) for i in range(len(truth)) for j in range(i + 1, len(truth))
             if lo <= j - i <= hi and truth[i, j] >= 0]
    pairs.sort()
    k = min(k, len(pairs))
    return sum(p[3] for p in pairs[:k]) / k if k else 0.0


def main():
    structure = PDBParser(QUIET=True).get_structure("1A0J", io.StringIO(gzip.open(HERE / "1A0J_A.pdb.gz", "rt").read()))
    writer = MMCIFIO()
    writer.set_structure(structure)
    text = io.StringIO()
    writer.save(text)
    with gzip.GzipFile(HERE / "1A0J_A.cif.gz", "wb", mtime=0) as f:
        f.write(text.getvalue().encode())
    chain = next(structure[0].get_chains())
    res = residues(chain)
    raw = fasta_records(gzip.open(ROOT / "tests/data/msa/tryps.a2m.gz", "rt").read())
    rows = columns_of(raw)[0]
    query_row = rows[0][1]
    query = query_row.replace("-", "")
    assert query == "".join(c for c, _ in res), "the query is not chain A's sequence"
    length = len(query)
    truth = np.zeros((length, length), dtype=np.float32)
    for i in range(length):
        for j in range(length):
            if res[i][1] is None or res[j][1] is None:
                truth[i, j] = -1
            elif abs(i - j) >= 6 and np.linalg.norm(res[i][1] - res[j][1]) < 8.0:
                truth[i, j] = 1
    ranges = {"short": (6, 11), "medium": (12, 23), "long": (24, 10**9)}
    counts = {name: int(sum(truth[i, j] == 1 for i in range(length) for j in range(i + 1, length) if lo <= j - i <= hi))
              for name, (lo, hi) in ranges.items()}
    columns = [c for c, ch in enumerate(query_row) if ch != "-"]
    baseline = mi_apc(rows, weights(rows))[np.ix_(columns, columns)]
    prec = {name: {f"P@{label}": precision(baseline, truth, lo, hi, k)
                   for label, k in (("L", length), ("L/2", length // 2), ("L/5", length // 5))}
            for name, (lo, hi) in ranges.items()}
    expected = {"1A0J_A.pdb.gz": {"chain": chain.id, "residues": len(res), "sequence": query,
                                  "without_contact_atom": sum(p is None for _, p in res),
                                  "true_contacts": counts, "baseline_precision": prec}}
    expected["1A0J_A.cif.gz"] = expected["1A0J_A.pdb.gz"]
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(json.dumps(expected["1A0J_A.pdb.gz"]["true_contacts"]), json.dumps(prec["long"]))


if __name__ == "__main__":
    main()
