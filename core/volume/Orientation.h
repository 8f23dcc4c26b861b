#pragma once
/// @file Orientation.h
/// A volume's index axes named by the anatomical direction each increases toward, and the volume
/// reoriented to other such names, as nibabel's io_orientation and MONAI's Orientation transform do
/// (on the RAS affine MONAI's ITK reader gives: the study's LPS axes with x and y negated). The
/// values are moved, never interpolated; the geometry follows, so every voxel stays where it was in
/// patient space.

#include "volume/VolumeGeometry.h"

#include <string>

namespace attn {

/// For each index axis (x, y, z), the letter of the direction it increases toward: L or R, P or A,
/// I or S (an identity-direction DICOM volume is "LPS"); the closest world axis when oblique.
std::string orientationCodes(const VolumeGeometry& g);

/// The volume with its index axes permuted and flipped so that they increase toward `axcodes`
/// (three letters, one of L/R, P/A, I/S each, in any order; case ignored). FormatError for codes
/// that are not such letters.
Volume reorient(const Volume& v, const std::string& axcodes);

/// The geometry reorient gives, without values.
VolumeGeometry reorientedGeometry(const VolumeGeometry& g, const std::string& axcodes);

} // namespace attn
