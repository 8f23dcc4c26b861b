"""MONAI's preprocessing and sliding-window inference for attnscope's golden files, written from
MONAI's published code (Apache-2.0; MONAI itself is not installable on the build machines):
  monai/data/image_reader.py       ITKReader: array axes x, y, z; the LPS affine turned RAS
  monai/transforms/spatial/array.py Orientation (nibabel's io_orientation / ornt_transform),
                                   Spacing (zoom_affine, compute_shape_offset: np.round of the
                                   extent + 1; grid_sample in float64, bilinear, border), Resize
                                   (F.interpolate: area, trilinear)
  monai/transforms/intensity/array.py ScaleIntensityRange
  monai/transforms/croppad/array.py  CropForeground (select x > 0, margin, k_divisible, allow_smaller)
  monai/inferers/utils.py, monai/data/utils.py  sliding_window_inference (padding, scan interval,
                                   dense_patch_slices, compute_importance_map's Gaussian)
Only axis-aligned studies (what the demo study is). A volume is (array [n0, n1, n2], affine 4x4 RAS)."""
import math

import numpy as np
import torch
import torch.nn.functional as F


def itk_array(hu_zyx, origin_lps, spacing):
    """What LoadImage(ITKReader) gives for an axis-aligned study: array (x, y, z), RAS affine."""
    arr = np.ascontiguousarray(hu_zyx.transpose(2, 1, 0)).astype(np.float32)
    affine = np.eye(4)
    affine[:3, :3] = np.diag(spacing)
    affine[:3, 3] = origin_lps
    return arr, np.diag([-1.0, -1.0, 1.0, 1.0]) @ affine


def orientation(arr, affine, axcodes):
    """Orientation(axcodes): flips and permutes array axes so index axis t increases toward axcodes[t]."""
    letters = {"R": (0, 1), "L": (0, -1), "A": (1, 1), "P": (1, -1), "S": (2, 1), "I": (2, -1)}
    have = [(int(np.argmax(np.abs(affine[:3, j]))), int(np.sign(affine[np.argmax(np.abs(affine[:3, j])), j]))) for j in range(3)]
    perm, flips = [], []
    for t, code in enumerate(axcodes):
        world, sign = letters[code]
        j = [k for k in range(3) if have[k][0] == world][0]
        perm.append(j)
        flips.append(have[j][1] != sign)
    out = arr
    xform = np.eye(4)
    for j in range(3):
        if flips[perm.index(j)]:
            out = np.flip(out, axis=j)
            f = np.eye(4)
            f[j, j] = -1
            f[j, 3] = arr.shape[j] - 1
            xform = xform @ f
    out = np.ascontiguousarray(np.transpose(out, perm))
    p = np.eye(4)[:, perm + [3]]
    return out, affine @ xform @ p


def spacing(arr, affine, pixdim):
    """Spacing(pixdim, mode='bilinear', padding_mode='border', dtype=float64), axes and origin kept."""
    old = np.sqrt((affine[:3, :3] ** 2).sum(axis=0))
    new = np.array([p if p > 0 else o for p, o in zip(pixdim, old)], dtype=np.float64)
    if np.allclose(old, new, atol=1e-3):
        return arr, affine
    shape = [int(np.round((n - 1) * o / s + 1)) for n, o, s in zip(arr.shape, old, new)]
    new_affine = affine.copy()
    new_affine[:3, :3] = affine[:3, :3] @ np.diag(new / old)
    # output index j reads input index j * new / old; grid_sample's grid is (last axis, ..., first), normalised
    axes = [torch.arange(n, dtype=torch.float64) * (s / o) for n, s, o in zip(shape, new, old)]
    g0, g1, g2 = torch.meshgrid(*axes, indexing="ij")
    norm = [2 * g / (n - 1) - 1 for g, n in zip((g0, g1, g2), arr.shape)]
    grid = torch.stack([norm[2], norm[1], norm[0]], dim=-1)[None]
    x = torch.from_numpy(arr.astype(np.float64))[None, None]
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)
    return out[0, 0].numpy().astype(np.float32), new_affine


def scale_intensity_range(arr, a_min, a_max, b_min, b_max, clip):
    x = torch.from_numpy(arr)
    x = (x - a_min) / (a_max - a_min)
    x = x * (b_max - b_min) + b_min
    if clip:
        x = torch.clamp(x, b_min, b_max)
    return x.numpy()


def crop_box(arr, affine, start, size, fill=0.0):
    """The box [start, start + size) of the array, `fill` beyond it; the affine shifted to its first voxel."""
    out = np.full(size, fill, dtype=np.float32)
    src = [slice(max(s, 0), min(s + n, m)) for s, n, m in zip(start, size, arr.shape)]
    dst = [slice(max(s, 0) - s, min(s + n, m) - s) for s, n, m in zip(start, size, arr.shape)]
    out[tuple(dst)] = arr[tuple(src)]
    shifted = affine.copy()
    shifted[:3, 3] = affine[:3, :3] @ np.array(start, dtype=np.float64) + affine[:3, 3]
    return out, shifted


def crop_foreground(arr, affine, margin, k_divisible=1, allow_smaller=False):
    fg = arr > 0
    start, size = [], []
    for a in range(3):
        hit = np.where(fg.any(axis=tuple(b for b in range(3) if b != a)))[0]
        lo, hi = hit[0] - margin, hit[-1] + margin + 1
        if allow_smaller:
            lo, hi = max(lo, 0), min(hi, arr.shape[a])
        n = hi - lo
        m = int(math.ceil(n / k_divisible) * k_divisible)
        lo -= (m - n) // 2
        start.append(int(lo))
        size.append(m)
    return crop_box(arr, affine, start, size)


def resize_area(arr, size):
    x = torch.from_numpy(arr)[None, None]
    return F.interpolate(x, size=tuple(size), mode="area")[0, 0].numpy()


def region_around(arr, affine, study_affine, voxel, size):
    """attnscope's region: the box of `size` around the preprocessed voxel nearest to a study voxel."""
    patient = study_affine @ np.array(list(voxel) + [1.0])
    centre = np.rint(np.linalg.solve(affine, patient)[:3]).astype(int)
    start = [min(max(c - s // 2, 0), n - s) if n >= s else -((s - n) // 2) for c, s, n in zip(centre, size, arr.shape)]
    return crop_box(arr, affine, start, size)


def labels_onto(labels, affine, study_shape, study_affine):
    """Labels on the study's grid: each study voxel takes the nearest label voxel, 0 outside."""
    idx = np.stack(np.meshgrid(*[np.arange(n) for n in study_shape], indexing="ij"), axis=-1).reshape(-1, 3).astype(np.float64)
    patient = idx @ study_affine[:3, :3].T + study_affine[:3, 3]
    p = np.linalg.solve(affine[:3, :3], (patient - affine[:3, 3]).T).T
    q = np.floor(p + 0.5).astype(int)
    inside = np.all((q >= 0) & (q < np.array(labels.shape)), axis=1)
    out = np.zeros(len(q), dtype=np.float32)
    out[inside] = labels[q[inside, 0], q[inside, 1], q[inside, 2]]
    return out.reshape(study_shape)


def importance_map(roi, mode, sigma_scale=0.125):
    if mode == "constant":
        return torch.ones(roi)
    maps = []
    for n in roi:
        x = torch.arange(start=-(n - 1) / 2.0, end=(n - 1) / 2.0 + 1, dtype=torch.float32)
        sigma = n * sigma_scale
        maps.append(torch.exp(x ** 2 / (-2 * sigma ** 2)))
    m = maps[0][:, None, None] * maps[1][None, :, None] * maps[2][None, None, :]
    return torch.clamp(m, min=max(float(m.min()), 1e-3))


def sliding_window(image, roi, overlap, mode, predictor):
    """sliding_window_inference for a [n0, n1, n2] image and a predictor of [C, roi] logits."""
    size = image.shape
    pad = [max(r - n, 0) for r, n in zip(roi, size)]
    padded = F.pad(torch.from_numpy(image), [p for a in (2, 1, 0) for p in (pad[a] // 2, pad[a] - pad[a] // 2)])
    full = padded.shape
    starts = []
    for n, r in zip(full, roi):
        interval = r if n == r else max(int(r * (1 - overlap)), 1)
        num = int(math.ceil(n / interval))
        scan = next(d for d in range(num) if d * interval + r >= n) + 1
        starts.append([min(d * interval, n - r) for d in range(scan)])
    w = importance_map(roi, mode)
    out, count = None, torch.zeros(full)
    for s0 in starts[0]:
        for s1 in starts[1]:
            for s2 in starts[2]:
                sl = (slice(s0, s0 + roi[0]), slice(s1, s1 + roi[1]), slice(s2, s2 + roi[2]))
                pred = predictor(padded[sl])
                if out is None:
                    out = torch.zeros((pred.shape[0],) + tuple(full))
                out[(slice(None),) + sl] += pred * w
                count[sl] += w
    out = out / count
    return out[:, pad[0] // 2:pad[0] // 2 + size[0], pad[1] // 2:pad[1] // 2 + size[1], pad[2] // 2:pad[2] // 2 + size[2]].numpy()


def center_spatial_crop(arr, affine, roi):
    """CenterSpatialCrop(roi_size): start = max(n // 2 - s // 2, 0), clamped to the array."""
    start = [max(n // 2 - (s if s > 0 else n) // 2, 0) for n, s in zip(arr.shape, roi)]
    size = [min(s if s > 0 else n, n - b) for n, s, b in zip(arr.shape, roi, start)]
    return crop_box(arr, affine, start, size)


def spatial_pad(arr, affine, size, method="symmetric"):
    """SpatialPad(spatial_size, method, mode='constant'): zeros, half before (symmetric) or all after (end)."""
    width = [max((s if s > 0 else n) - n, 0) for n, s in zip(arr.shape, size)]
    start = [0 if method == "end" else -(w // 2) for w in width]
    return crop_box(arr, affine, start, [n + w for n, w in zip(arr.shape, width)])


def resize_with_pad_or_crop(arr, affine, size, method="symmetric"):
    arr, affine = center_spatial_crop(arr, affine, size)
    return spatial_pad(arr, affine, size, method)
