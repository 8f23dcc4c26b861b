#pragma once
/// @file DerivedWriter.h
/// DICOM objects that other tools derive from a study, written with DCMTK for the tests: an
/// RT dose grid (32-bit integers, DoseGridScaling, GridFrameOffsetVector), a float image
/// (Float or Double Float Pixel Data, as parametric maps and some PET exports store values),
/// and a BINARY segmentation (DICOM SEG: 1-bit frames, one per segment and slice it covers).
/// Not part of the application.

#include "DicomWriter.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace attn::dicomtools {

/// Writes an RT dose on `grid` (its size, origin, orientation and spacings; any rows/cols)
/// as one multi-frame file: frame z at GridFrameOffsetVector z * sliceSpacing, stored values
/// from `stored` (unsigned 32-bit), dose = stored x doseGridScaling in GY.
void writeRtDose(const SeriesSpec& grid, const VoxelFunction& stored, double doseGridScaling,
                 const std::filesystem::path& path);

/// Gives a float value at column x, row y, slice z.
using FloatVoxelFunction = std::function<double(int x, int y, int z)>;

/// Writes a multi-frame image whose values are floats (Float Pixel Data, or Double Float
/// Pixel Data when `doublePrecision`), placed by per-frame functional groups as
/// writeEnhancedMultiFrame does (Parametric Map Storage).
void writeFloatImage(const SeriesSpec& grid, const FloatVoxelFunction& value, bool doublePrecision,
                     const std::filesystem::path& path);

/// One segment: its label and which voxels of the grid it covers.
struct SegmentSpec {
    std::string label;
    std::function<bool(int x, int y, int z)> inside;
};

/// Writes a BINARY DICOM SEG drawn on `series` (written from `grid`): segments numbered from 1,
/// a frame for each segment and each slice where it covers a voxel, placed by its
/// ImagePositionPatient; the frame of reference and ReferencedSeriesSequence are the series'.
void writeSegmentation(const SeriesSpec& grid, const WrittenSeries& series, const std::vector<SegmentSpec>& segments,
                       const std::filesystem::path& path);

} // namespace attn::dicomtools
