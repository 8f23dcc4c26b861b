#pragma once
/// @file Nifti.h
/// Volumes as NIfTI-1 files (nifticlib, Debian libnifti2-dev): float32 values with the
/// patient geometry in both the sform and the qform, so 3D Slicer and ITK-SNAP open an
/// overlay aligned with its study. NIfTI's world is RAS and DICOM's LPS: x and y change sign.
/// A ".nii.gz" name writes a gzip-compressed file.

#include "volume/VolumeGeometry.h"

#include <filesystem>

namespace attn {

/// Writes a volume; throws IoError naming the file when it cannot be written. With `labels`, the
/// values are label indices, written as integers (uint8, or int16 beyond 255) with NIfTI's label
/// intent.
void writeNifti(const std::filesystem::path& path, const Volume& volume, bool labels = false);

/// Reads a 3D NIfTI-1 volume of any integer or float scalar type (as writeNifti writes, or a
/// label map from 3D Slicer or ITK-SNAP) as float32, scl_slope/scl_inter applied; geometry from
/// the sform, else the qform, back in LPS. The voxels are read only once their claimed size
/// fits the file; errors name the file.
Volume readNifti(const std::filesystem::path& path);

} // namespace attn
