#!/usr/bin/env python3
"""Writes tests/data/dicom/expected.json: for each test DICOM file that pydicom (Debian's
python3-pydicom, with numpy) decodes by itself, the shape, min, max, mean and a few pixel
values after the modality rescale (an RT dose's DoseGridScaling; SEG frames as 0/1, float
pixel data as stored, palette images as their indices), so the C++ tests check DCMTK-based decoding against an
independent reader. Files pydicom cannot decode without extra plug-ins (JPEG, JPEG-LS, JPEG
2000) are checked in the C++ tests against their uncompressed twins instead.

    /usr/bin/python3 tools/make_dicom_expected.py
"""
import json
import os

import numpy as np
import pydicom

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "dicom")


def rescale_of(ds):
    """The modality rescale: the top-level one, an RT dose's DoseGridScaling (dose = stored
    value x scaling), or an enhanced file's shared Pixel Value Transformation."""
    if "RescaleSlope" in ds:
        return float(ds.RescaleSlope), float(getattr(ds, "RescaleIntercept", 0.0))
    if "DoseGridScaling" in ds:
        return float(ds.DoseGridScaling), 0.0
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared and "PixelValueTransformationSequence" in shared[0]:
        t = shared[0].PixelValueTransformationSequence[0]
        return float(t.RescaleSlope), float(t.RescaleIntercept)
    return 1.0, 0.0


def stats(path):
    ds = pydicom.dcmread(path, force=True)
    a = ds.pixel_array.astype(np.float64)
    slope, intercept = rescale_of(ds)
    # The value in float64, then as the float32 attnscope keeps (exact for integer images).
    a = (a * slope + intercept).astype(np.float32).astype(np.float64)
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
