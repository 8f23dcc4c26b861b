#pragma once
/// @file DicomSeries.h
/// Finding the series in a folder of DICOM files, and building one into a volume the way
/// trusted viewers do: slices ordered by their position along the slice normal
/// (n = row direction x column direction; key = n . ImagePositionPatient), never by file
/// name or InstanceNumber; slice spacing from those positions (checked for uniformity);
/// the modality rescale applied per slice; the patient-space geometry kept.

#include "dicom/DicomFile.h"
#include "util/Progress.h"
#include "volume/VolumeGeometry.h"

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// One series found in a folder.
struct DicomSeriesInfo {
    std::string uid;               ///< SeriesInstanceUID.
    std::string patientName;       ///< PatientName.
    std::string studyDate;         ///< StudyDate.
    std::string modality;          ///< Modality.
    std::string description;       ///< SeriesDescription.
    int rows = 0;                  ///< Rows of its images.
    int columns = 0;               ///< Columns of its images.
    int images = 0;                ///< Frames in all its files.
    std::vector<DicomHeader> files; ///< Its files' headers.
};

/// The result of scanning a folder.
struct DicomScan {
    std::vector<DicomSeriesInfo> series; ///< Series with pixel data, largest first.
    std::vector<std::string> skipped;    ///< "FILE: reason" for files that were not usable images.
    std::filesystem::path dicomDir;      ///< The DICOMDIR the files came from (empty: a folder scan).
    int plainFiles = 0;                  ///< Files plainly not DICOM (text, images, PDF), skipped quietly.
};

/// True if a file is plainly not DICOM: no DICM preamble, and either text (no NUL byte in its
/// first 512 bytes; every DICOM dataset has some) or a PNG, JPEG, GIF or PDF by its magic bytes.
bool plainlyNotDicom(const std::filesystem::path& path);

/// Scans a folder, grouping image files by SeriesInstanceUID. When the folder holds a
/// readable DICOMDIR, the files it references are read (references to missing files, and
/// files it leaves out, are listed in `skipped`); otherwise every file in the folder and its
/// subfolders. Files that are not DICOM, have no pixel data, or are segmentations (references
/// drawn on a study, not studies) are listed in `skipped`. Reports progress per file; throws Cancelled if cancelled.
DicomScan scanDicomFolder(const std::filesystem::path& folder, Progress* progress = nullptr);

/// A series built into a volume.
struct DicomVolume {
    Volume volume;                       ///< Values after rescale (HU for CT), patient geometry.
    std::vector<std::string> warnings;   ///< Skipped files, gaps, missing tags (each names a file).
    std::vector<std::string> sliceFiles; ///< The file of each slice, in volume order.
};

/// Builds a series into a volume. A file that cannot be decoded is skipped with a warning;
/// a series that cannot be built (mixed orientations or sizes, no decodable slice) throws
/// DicomError naming a file and the problem. Reports progress per slice.
DicomVolume loadDicomSeries(const DicomSeriesInfo& series, Progress* progress = nullptr);

/// Slice spacing tolerance: a step between consecutive slices is reported (as a gap or as
/// non-uniform spacing) when it differs from the median step by more than this fraction of
/// the median and by more than kSliceSpacingToleranceMm (positions are often written rounded
/// to 0.1 mm: the real 20-slice MR series steps 6.97 to 7.07 mm for a 7 mm spacing).
constexpr double kSliceSpacingTolerance = 0.02;
/// Absolute part of the slice spacing tolerance, mm.
constexpr double kSliceSpacingToleranceMm = 0.2;

} // namespace attn
