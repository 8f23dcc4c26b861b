#pragma once
/// @file DicomSegmentation.h
/// One segment of a DICOM SEG as a mask volume in patient space. A SEG stores, per segment,
/// one frame for each slice it covers (often only those where the segment is present), each
/// frame placed by its own ImagePositionPatient in the per-frame functional groups. The mask's
/// grid is the SEG's: its orientation and pixel spacing, and slices at the distinct frame
/// positions along the normal, which must lie on one regular step. BINARY values are 0 or 1;
/// FRACTIONAL ones are stored value / MaximumFractionalValue.

#include "dicom/DicomFile.h"
#include "volume/VolumeGeometry.h"

namespace attn {

/// A segment as a mask on the segmentation's own grid.
struct SegmentMask {
    DicomSegmentInfo segment;   ///< Its number and label.
    Volume mask;                ///< 0 outside, 1 inside (fractions for FRACTIONAL segmentations).
};

/// The mask of segment `number` (0: the first segment the file defines). Throws DicomError
/// naming the file when it is not a segmentation, names no such segment, or its frames are
/// not placed on one regular grid.
SegmentMask readSegmentMask(const DicomHeader& header, int number = 0);

} // namespace attn
