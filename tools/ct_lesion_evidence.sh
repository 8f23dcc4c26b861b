#!/usr/bin/env bash
# The CT demo's sentence of evidence (README), measured: the demo study (resources/data/ct_demo) has
# no lesion, so the SYNTHETIC lesion of TestCtDemoModel / tools/make_ct_lesion_golden.py is added to
# a copy of it (the golden case's centre, radius, contrast and edge, from
# tests/data/golden/ct_lesion/case.json: contrast * 0.5 * erfc(d / (sqrt(2) * edge_sd)) HU, d the
# distance in patient mm from the sphere's surface), its sphere (distance to the centre <= radius)
# is written as a NIfTI mask on the study's grid, and every head of resources/models/ct_lesion is
# tested for enrichment in it (attnscope-cli enrichment). Prints P(lesion) without and with the
# lesion, the tokens the mask marks, and every head sorted by q.
#
#   bash tools/ct_lesion_evidence.sh [--keep DIR]    (--keep: leave the lesion study, mask and runs in DIR)
#
# Needs /usr/bin/python3 with numpy, scipy and pydicom (Debian: python3-numpy, python3-scipy,
# python3-pydicom).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/release/app/attnscope-cli
model=resources/models/ct_lesion
study=resources/data/ct_demo
golden=tests/data/golden/ct_lesion
permutations=1000
seed=0

if [[ "${1:-}" == "--keep" && -n "${2:-}" ]]; then
  work="$2"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
[[ -x "$cli" ]] || { echo "no $cli: build attnscope first" >&2; exit 1; }
/usr/bin/python3 -c "import numpy, scipy, pydicom" || { echo "needs /usr/bin/python3 with numpy, scipy and pydicom" >&2; exit 1; }

# 1. The lesion study (a copy of the demo study with the lesion in its pixel data) and the mask.
rm -rf "$work/lesion_study"
cp -r "$study" "$work/lesion_study"
/usr/bin/python3 - "$work/lesion_study" "$golden/case.json" "$work/mask.nii.gz" <<'PY'
import glob, gzip, json, math, os, struct, sys

import numpy as np
import pydicom
from scipy.special import erfc

folder, case_path, mask_path = sys.argv[1:]
lesion = json.load(open(case_path))["lesion"]
centre = np.array(lesion["centre_mm"], float)
radius, contrast, edge_sd = float(lesion["radius_mm"]), float(lesion["contrast_hu"]), float(lesion["edge_sd_mm"])

files = sorted(glob.glob(os.path.join(folder, "*.dcm")))
ds = [pydicom.dcmread(f) for f in files]
assert len({d.SeriesInstanceUID for d in ds}) == 1, "more than one series"
iop = np.array([float(v) for v in ds[0].ImageOrientationPatient])
row_dir, col_dir = iop[:3], iop[3:]  # along a row (column index i grows), along a column (row index j grows)
normal = np.cross(row_dir, col_dir)
for d in ds:
    assert np.allclose([float(v) for v in d.ImageOrientationPatient], iop), "slices of different orientations"
order = sorted(range(len(ds)), key=lambda k: float(np.dot([float(v) for v in ds[k].ImagePositionPatient], normal)))
rows, cols = int(ds[0].Rows), int(ds[0].Columns)
dy, dx = (float(v) for v in ds[0].PixelSpacing)  # PixelSpacing: between rows, then between columns
positions = np.array([[float(v) for v in ds[k].ImagePositionPatient] for k in order])
steps = np.diff(positions @ normal)
assert np.allclose(steps, steps.mean(), atol=1e-3), "slices not evenly spaced"
dz = float(steps.mean())

mask = np.zeros((len(ds), rows, cols), np.uint8)  # [slice k (sorted along the normal), row j, column i]
jj, ii = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
changed = rounding = 0.0
peak_added = 0.0
for k, index in enumerate(order):
    d = ds[index]
    assert int(d.BitsAllocated) == 16 and "Compressed" not in d.file_meta.TransferSyntaxUID.name, "16-bit uncompressed pixels expected"
    slope, intercept = float(getattr(d, "RescaleSlope", 1)), float(getattr(d, "RescaleIntercept", 0))
    ipp = np.array([float(v) for v in d.ImagePositionPatient])
    # each pixel's patient position (mm): ImagePositionPatient + i * dx * row_dir + j * dy * col_dir
    p = ipp[None, None, :] + ii[..., None] * dx * row_dir + jj[..., None] * dy * col_dir
    dist = np.linalg.norm(p - centre, axis=-1)
    added = contrast * 0.5 * erfc((dist - radius) / (math.sqrt(2) * edge_sd))  # as TestCtDemoModel's addLesion
    mask[k] = dist <= radius
    if added.max() < 1e-6:
        continue
    stored = d.pixel_array.astype(np.float64)
    hu = stored * slope + intercept + added
    info = np.iinfo(np.int16 if int(d.PixelRepresentation) == 1 else np.uint16)
    new = np.round((hu - intercept) / slope)
    assert new.min() >= info.min and new.max() <= info.max, "the lesion does not fit the stored range"
    rounding = max(rounding, float(np.abs(new * slope + intercept - (stored * slope + intercept + added)).max()))
    d.PixelData = new.astype(info.dtype.newbyteorder("<")).tobytes()
    d.save_as(files[index])
    changed += 1
    peak_added = max(peak_added, float(added.max()))

# The mask as NIfTI-1 (uint8, label 1) on the study's grid: voxel (i, j, k) = column, row, sorted
# slice; sform and qform map it to RAS+ mm, i.e. LPS with x and y negated (NIfTI's convention).
lps = np.column_stack([row_dir * dx, col_dir * dy, normal * dz])
origin = positions[0]
flip = np.diag([-1.0, -1.0, 1.0])
affine = np.eye(4)
affine[:3, :3] = flip @ lps
affine[:3, 3] = flip @ origin

def quaternion(m):
    """nifti_mat44_to_quatern: (b, c, d, qfac) of a rotation times spacing."""
    r = m / np.linalg.norm(m, axis=0)
    qfac = 1.0
    if np.linalg.det(r) < 0:
        qfac = -1.0
        r[:, 2] = -r[:, 2]
    a = r[0, 0] + r[1, 1] + r[2, 2] + 1.0
    if a > 0.5:
        a = 0.5 * math.sqrt(a)
        b, c, d = 0.25 * (r[2, 1] - r[1, 2]) / a, 0.25 * (r[0, 2] - r[2, 0]) / a, 0.25 * (r[1, 0] - r[0, 1]) / a
    else:
        xd, yd, zd = 1 + r[0, 0] - (r[1, 1] + r[2, 2]), 1 + r[1, 1] - (r[0, 0] + r[2, 2]), 1 + r[2, 2] - (r[0, 0] + r[1, 1])
        if xd > 1.0:
            b = 0.5 * math.sqrt(xd); c = 0.25 * (r[0, 1] + r[1, 0]) / b; d = 0.25 * (r[0, 2] + r[2, 0]) / b; a = 0.25 * (r[2, 1] - r[1, 2]) / b
        elif yd > 1.0:
            c = 0.5 * math.sqrt(yd); b = 0.25 * (r[0, 1] + r[1, 0]) / c; d = 0.25 * (r[1, 2] + r[2, 1]) / c; a = 0.25 * (r[0, 2] - r[2, 0]) / c
        else:
            d = 0.5 * math.sqrt(zd); b = 0.25 * (r[0, 2] + r[2, 0]) / d; c = 0.25 * (r[1, 2] + r[2, 1]) / d; a = 0.25 * (r[1, 0] - r[0, 1]) / d
        if a < 0:
            b, c, d = -b, -c, -d
    return b, c, d, qfac

b, c, d, qfac = quaternion(affine[:3, :3])
header = struct.pack(
    "<i10s18sihbb8h3fhhhh8ffffhbbffffii80s24shh6f4f4f4f16s4s",
    348, b"", b"", 0, 0, b"r"[0], 0,
    3, cols, rows, len(ds), 1, 1, 1, 1,
    0.0, 0.0, 0.0, 0, 2, 8, 0,  # intent none, datatype 2 = uint8, 8 bits
    qfac, dx, dy, dz, 1.0, 1.0, 1.0, 1.0,
    352.0, 1.0, 0.0, 0, 0, 2,  # vox_offset, scl_slope 1, scl_inter 0, slice_end, slice_code, xyz_units mm
    1.0, 0.0, 0.0, 0.0, 0, 0,
    b"synthetic lesion sphere (attnscope tools/ct_lesion_evidence.sh)", b"",
    1, 1,  # qform_code, sform_code: scanner anatomical
    b, c, d, *affine[:3, 3],
    *affine[0], *affine[1], *affine[2],
    b"", b"n+1\0")
assert len(header) == 348
with gzip.open(mask_path, "wb") as f:
    f.write(header + b"\0\0\0\0" + mask.tobytes())  # x fastest: [k, j, i] in C order

print(json.dumps({"lesion": lesion, "slices_changed": int(changed), "max_added_hu": round(peak_added, 3),
                  "max_rounding_hu": round(rounding, 3), "mask_voxels": int(mask.sum()),
                  "mask_volume_ml": round(float(mask.sum()) * dx * dy * dz / 1000, 3),
                  "sphere_volume_ml": round(4 / 3 * math.pi * radius ** 3 / 1000, 3)}))
PY

# 2. P(lesion) without and with the lesion; every head's enrichment in the mask.
"$cli" run --model "$model" --input "$study" --out "$work/run_plain" > /dev/null
"$cli" run --model "$model" --input "$work/lesion_study" --out "$work/run_lesion" > /dev/null
enrich() {
  "$cli" enrichment --model "$model" --input "$work/lesion_study" --annotations "$work/mask.nii.gz" \
    --threshold "$1" --permutations "$permutations" --seed "$seed" --json > "$work/enrichment-$1.json"
}
enrich 0.3
# Control: the same mask on the study without the lesion (the same grid): where the heads' confident
# weights go when there is nothing there.
"$cli" enrichment --model "$model" --input "$study" --annotations "$work/mask.nii.gz" \
  --threshold 0.3 --permutations "$permutations" --seed "$seed" --json > "$work/enrichment-plain-0.3.json"
if /usr/bin/python3 -c 'import json, sys; sys.exit(0 if any(h["count"] >= 100 for h in json.load(open(sys.argv[1]))["heads"]) else 1)' \
  "$work/enrichment-0.3.json"; then
  thresholds="0.3"
else
  enrich 0.1
  thresholds="0.3 0.1"
fi

# 3. The summary.
/usr/bin/python3 - "$work" "$golden" $thresholds <<'PY'
import csv, gzip, json, os, struct, sys

import numpy as np

work, golden, thresholds = sys.argv[1], sys.argv[2], sys.argv[3:]
lesion = json.load(open(os.path.join(golden, "case.json")))
centre = np.array(lesion["lesion"]["centre_mm"], float)

def p_lesion(run):
    logits = np.load(os.path.join(work, run, "logits.npy")).astype(np.float64).ravel()
    meta = json.load(open(os.path.join(work, run, "meta.json")))
    k = meta["labels"].index("lesion")
    e = np.exp(logits - logits.max())
    return float(e[k] / e.sum()), logits

plain, plain_logits = p_lesion("run_plain")
with_lesion, lesion_logits = p_lesion("run_lesion")
golden_logits = np.load(os.path.join(golden, "expected", "logits_lesion.npy")).astype(np.float64).ravel()
L = lesion["lesion"]
print("CT lesion (synthetic): centre (%.1f, %.1f, %.1f) mm, radius %g mm (diameter %g mm), %+g HU, edge sd %g mm"
      % (*centre, L["radius_mm"], 2 * L["radius_mm"], L["contrast_hu"], L["edge_sd_mm"]))
print("P(lesion): %.3f without the lesion, %.3f with it (TestCtDemoModel's golden, float HU: %.3f and %.3f; "
      "logits with the lesion %s, golden %s)"
      % (plain, with_lesion, lesion["p_lesion_plain"], lesion["p_lesion_with_lesion"],
         np.round(lesion_logits, 4).tolist(), np.round(golden_logits, 4).tolist()))

tokens = list(csv.DictReader(open(os.path.join(work, "run_lesion", "tokens.tsv")), delimiter="\t"))
image = [t for t in tokens if t["x_mm"] != "nan"]
axes = [sorted({float(t[a]) for t in image}) for a in ("x_mm", "y_mm", "z_mm")]
nearest = tuple(int(np.argmin([abs(v - c) for v in ax])) for ax, c in zip(axes, centre))
for threshold in thresholds:
    e = json.load(open(os.path.join(work, "enrichment-%s.json" % threshold)))
    label = "threshold %s%s" % (threshold, " (default)" if threshold == "0.3" else " (NOT the default 0.3)")
    marked = sorted(int(m) for r in e["marks"] for m in r["marked_tokens"])
    if threshold == thresholds[0]:
        print("tokens marked by the mask: %d of %d image tokens (the token grid's step %.1f x %.1f x %.1f mm)"
              % (len(marked), len(image), axes[0][1] - axes[0][0], axes[1][1] - axes[1][0], axes[2][1] - axes[2][0]))
        for m in marked:
            t = tokens[m]
            at = np.array([float(t["x_mm"]), float(t["y_mm"]), float(t["z_mm"])])
            print("  token %d (%s): centre (%.1f, %.1f, %.1f) mm, %.1f mm from the lesion centre"
                  % (m, t["label"], *at, np.linalg.norm(at - centre)))
        print("  the token nearest the lesion centre: z%d y%d x%d" % (nearest[2], nearest[1], nearest[0]))
        # check: the mask file read back here (its sform, RAS -> LPS), each voxel to the token whose
        # centre is nearest on every axis (tokens.tsv), as the CLI places a reference
        raw = gzip.open(os.path.join(work, "mask.nii.gz")).read()
        dims = struct.unpack_from("<8h", raw, 40)
        srow = np.array(struct.unpack_from("<12f", raw, 280)).reshape(3, 4)
        vox = np.frombuffer(raw, np.uint8, offset=int(struct.unpack_from("<f", raw, 108)[0])).reshape(dims[3], dims[2], dims[1])
        kji = np.argwhere(vox > 0)
        ras = srow[:, :3] @ kji[:, ::-1].T.astype(float) + srow[:, 3:4]
        lps = (np.diag([-1.0, -1.0, 1.0]) @ ras).T
        print("  the mask read back: %d voxels, centroid (%.1f, %.1f, %.1f) mm, farthest voxel %.1f mm from the lesion centre"
              % (len(lps), *lps.mean(0), np.linalg.norm(lps - centre, axis=1).max()))
        index = {(int(t["x"]), int(t["y"]), int(t["z"])): int(t["index"]) for t in image}
        own = sorted({index[tuple(int(np.argmin(np.abs(np.array(ax) - v))) for ax, v in zip(axes, p))] for p in lps})
        print("  tokens those voxels fall in (nearest centre per axis): %s: %s the CLI's"
              % (own, "the same as" if own == marked else "NOT the same as"))
    heads = sorted(e["heads"], key=lambda h: (h["q"] is None, h["q"] if h["q"] is not None else 0, h["p"] or 0, h["layer"], h["head"]))
    tested = [h for h in heads if h["p"] is not None]
    print("enrichment, %s, %d permutations, seed %d: %d of %d heads with 100 or more confident weights, %d with q < 0.05"
          % (label, e.get("permutations", 1000), e.get("seed", 0), len(tested), len(heads), sum(h["q"] < 0.05 for h in tested)))
    print("  head    share  background  count      p      q")
    for h in heads:
        fmt = lambda v, f: "null" if v is None else f % v
        print("  L%dH%d  %7s  %10s  %5d  %5s  %5s%s"
              % (h["layer"], h["head"], fmt(h["share"], "%.3f"), fmt(h["background"], "%.4f"), h["count"],
                 fmt(h["p"], "%.3f"), fmt(h["q"], "%.3f"), "" if h["p"] is not None else "   (fewer than 100 confident weights: not tested)"))
plain_e = json.load(open(os.path.join(work, "enrichment-plain-0.3.json")))
print("control, the same mask on the study WITHOUT the lesion, threshold 0.3: confident weights per head %s"
      % ", ".join("L%dH%d %d" % (h["layer"], h["head"], h["count"]) for h in plain_e["heads"]))
PY
