#!/usr/bin/env python3
"""Writes tests/data/structure/1A0J_A_sites.{pdb,cif}.gz: 1A0J_A with binding-site records added.

The Theseus copy of 1A0J keeps no SITE records, so these are written by us, in the wwPDB record
formats (PDB SITE, columns after format v3.3; mmCIF _struct_site_gen): the catalytic triad (CAT:
His57, Asp102, Ser195, chymotrypsin numbering) and residues lining trypsin's S1 pocket (S1:
Asp189, Ser190, Lys188A (an insertion code), Gly216, Gly226, and a water, which readers leave
out). They test the reading, not a biological claim about this entry.
Run from the repository root: python3 tools/make_site_structures.py
"""
import gzip

DIR = "tests/data/structure/"
SITES = [("CAT", [("HIS", "A", 57, " "), ("ASP", "A", 102, " "), ("SER", "A", 195, " ")]),
         ("S1", [("ASP", "A", 189, " "), ("SER", "A", 190, " "), ("LYS", "A", 188, "A"), ("GLY", "A", 216, " "),
                 ("GLY", "A", 226, " "), ("HOH", "A", 401, " ")])]


def site_records():
    out = []
    for site, residues in SITES:
        for seq, start in enumerate(range(0, len(residues), 4), 1):
            line = "SITE   %3d %-3s %2d" % (seq, site, len(residues))
            for name, chain, num, ic in residues[start:start + 4]:
                line += " %3s %1s%4d%1s" % (name, chain, num, ic)
            out.append(line.ljust(80) + "\n")
    return out


def write(path, text):
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(text.encode())


def pdb():
    lines = gzip.open(DIR + "1A0J_A.pdb.gz", "rt").read().splitlines(True)
    at = next(i for i, l in enumerate(lines) if l.startswith("ATOM"))
    write(DIR + "1A0J_A_sites.pdb.gz", "".join(lines[:at] + site_records() + lines[at:]))


def cif():
    head, hash_line, rest = gzip.open(DIR + "1A0J_A.cif.gz", "rt").read().split("\n", 2)
    loop = "loop_\n" + "".join("_struct_site_gen.%s\n" % t for t in
                               ["id", "site_id", "auth_comp_id", "auth_asym_id", "auth_seq_id", "pdbx_auth_ins_code"])
    rows = [(site, r) for site, residues in SITES for r in residues]
    for i, (site, (name, chain, num, ic)) in enumerate(rows, 1):
        loop += "%d %s %s %s %d %s\n" % (i, site, name, chain, num, "?" if ic == " " else ic)
    write(DIR + "1A0J_A_sites.cif.gz", head + "\n" + hash_line + "\n" + loop + "#\n" + rest)


if __name__ == "__main__":
    pdb()
    cif()
