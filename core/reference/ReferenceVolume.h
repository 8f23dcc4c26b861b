#pragma once
/// @file ReferenceVolume.h
/// What another tool drew or computed on a study, loaded to compare with attention: one
/// segment of a DICOM SEG, an RT dose grid, or a NIfTI mask or label map. Each keeps its own
/// grid and is placed on the study through patient space (resampleOnto), never by voxel index.

#include "dicom/DicomFile.h"
#include "util/Progress.h"
#include "volume/VolumeGeometry.h"

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// A reference volume on its own grid.
struct ReferenceVolume {
    std::string path;                     ///< The file it came from.
    std::string label;                    ///< What it is: "segment 1 (Liver)", "RT dose (GY)", "label 2".
    bool isMask = false;                  ///< A segmentation or mask (values 0..1), not a scalar map.
    std::string units;                    ///< A dose's DoseUnits; empty otherwise.
    std::vector<DicomSegmentInfo> segments; ///< The segments (or label values) the file offers.
    int segment = 0;                      ///< The one read (SegmentNumber or label value; 0 for a dose).
    std::string frameOfReferenceUid;      ///< DICOM: the patient space it is drawn in.
    std::string referencedSeriesUid;      ///< SEG: the series it was drawn on.
    Volume volume;                        ///< Its values on its own grid.
};

/// Reads a reference volume: a DICOM SEG (segment `segment`, 0 for the first), any other DICOM
/// file that makes a volume by itself (an RT dose, in its DoseUnits), or a NIfTI file (.nii,
/// .nii.gz): a label map of integer values gives a mask of label `segment` (0: the smallest
/// label above 0); a map with other values stays a scalar map. Throws attn::Error naming the
/// file.
ReferenceVolume readReferenceVolume(const std::filesystem::path& path, int segment = 0);

/// Warnings for placing `reference` on a study of series `seriesUid` in frame of reference
/// `frameOfReferenceUid` (either may be empty when unknown): another frame of reference, or a
/// SEG drawn on another series, or no overlap with the study grid.
std::vector<std::string> placementWarnings(const ReferenceVolume& reference, const std::string& seriesUid,
                                           const std::string& frameOfReferenceUid, const VolumeGeometry& study);

/// The reference on the study's grid (through patient space, trilinear; 0 outside its grid);
/// throws Cancelled when `progress` asks to stop.
Volume referenceOnStudy(const ReferenceVolume& reference, const VolumeGeometry& study, const Progress* progress = nullptr);

} // namespace attn
