#!/usr/bin/env python3
"""Writes tests/data/dicom/expected.json: for each test DICOM file that pydicom (Debian's
python3-pydicom, with numpy) decodes by itself, the shape, min, max, mean and a few pixel
values after the modality rescale, so the C++ tests check DCMTK-based decoding against an
independent reader. Files pydicom cannot decode without extra plug-ins (JPEG, JPEG-LS, JPEG
2000) are checked in the C++ tests against their uncompressed twins instead.

    /usr/bin/python3 tools/make_dicom_expected.py
"""
import json
import os

import numpy as np
import pydicom

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "dicom")


def stats(path):
    ds = pydicom.dcmread(path, force=True)
    a = ds.pixel_array.astype(np.float64)
    slope = float(getattr(ds, "RescaleSlope", 1.0))
    intercept = float(getattr(ds, "RescaleIntercept", 0.0))
    a = a * slope + intercept
    frames = int(getattr(ds, "NumberOfFrames", 1))
    if frames == 1:
        a = a[None]
    flat = a.reshape(-1)
    picks = [0, 1, len(flat) // 3, len(flat) // 2, len(flat) - 1]
    return {"shape": list(a.shape), "min": float(a.min()), "max": float(a.max()), "mean": float(a.mean()),
            "samples": {str(i): float(flat[i]) for i in picks}}


def main():
    out = {}
    for folder in sorted(os.listdir(ROOT)):
        d = os.path.join(ROOT, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".dcm"):
                continue
            try:
                out[f"{folder}/{name}"] = stats(os.path.join(d, name))
            except Exception as e:  # no decoder in plain pydicom: checked another way
                print(f"{folder}/{name}: not decoded by pydicom ({type(e).__name__})")
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(out)} files")


if __name__ == "__main__":
    main()
