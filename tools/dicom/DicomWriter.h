#pragma once
/// @file DicomWriter.h
/// Writes synthetic or converted volumes as DICOM CT/MR series (one file per slice) with
/// DCMTK, for test data and the demo study. Not part of the application.

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace attn::dicomtools {

/// Everything about a series except its voxel values.
struct SeriesSpec {
    /// Number of rows (image height, y), columns (image width, x) and slices (z).
    int rows = 0, cols = 0, slices = 0;
    /// ImageOrientationPatient: row direction (direction of increasing x), then column
    /// direction (increasing y); orthonormal unit vectors in LPS.
    std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
    /// ImagePositionPatient of slice 0 (centre of its first voxel), LPS mm.
    std::array<double, 3> origin{0, 0, 0};
    /// PixelSpacing = [rowSpacing, colSpacing]: rowSpacing is the distance between
    /// adjacent rows (along the column direction), colSpacing between adjacent columns.
    double rowSpacing = 1, colSpacing = 1;
    /// Distance from slice z to slice z+1 along the normal cross(rowDir, colDir); may be
    /// negative (slices then step against the normal). Also written as SliceThickness.
    double sliceSpacing = 1;
    /// Slice indices not written (to make gaps); the others keep their positions.
    std::vector<int> skipSlices;
    /// Name files in a seeded random order unrelated to position, and scramble
    /// InstanceNumber with an independent permutation of 1..n (n = written files).
    /// Otherwise file names and InstanceNumber (z + 1) follow z.
    bool shuffleFileNames = false;
    /// Seed for the shuffle above (deterministic across platforms).
    unsigned shuffleSeed = 20260101;
    /// Modality value = stored value * rescaleSlope + rescaleIntercept.
    double rescaleSlope = 1, rescaleIntercept = 0;
    /// PixelRepresentation 1 (two's complement int16) if true, else 0 (uint16).
    bool signedPixels = false;
    /// BitsAllocated: 16, or 32 (an RT dose, some CT and PET exports).
    int bitsAllocated = 16;
    /// BitsStored (1..bitsAllocated), HighBit = bitsStored - 1.
    /// Stored values are masked to these bits (no sign extension in unused high bits).
    int bitsStored = 16;
    /// PhotometricInterpretation PALETTE COLOR, with red, green and blue lookup tables of
    /// 2^bitsStored 16-bit entries (unsigned, bitsStored <= 12): the values are indices.
    bool palette = false;
    /// "CT" (CT Image Storage) or "MR" (MR Image Storage).
    std::string modality = "CT";
    /// UIDs; each one empty is generated with dcmGenerateUniqueIdentifier. SOPInstanceUIDs
    /// are seriesUid + "." + (z + 1) when that fits in 64 characters, else generated, so
    /// fixed series/study/frame UIDs give byte-identical output on every run.
    std::string seriesUid, studyUid, frameOfReferenceUid;
    /// SeriesDescription, PatientName, PatientID, StudyDate (YYYYMMDD), SeriesNumber.
    std::string seriesDescription, patientName = "Anonymous^Synthetic", patientId;
    /// StudyDate (YYYYMMDD).
    std::string studyDate = "20260101";
    /// SeriesNumber.
    int seriesNumber = 1;
    /// BodyPartExamined (e.g. "HEAD"); not written if empty.
    std::string bodyPartExamined;
    /// WindowCenter/Width in modality units; if unset, the range of the written values.
    std::optional<double> windowCenter, windowWidth;
    /// Transfer syntax of the files (uncompressed ones: little/big endian, implicit/explicit,
    /// or deflated explicit little endian).
    E_TransferSyntax transfer = EXS_LittleEndianExplicit;
    /// File names are fileStem + 4-digit number + fileExtension (IMG0001.dcm). A DICOMDIR
    /// needs names of at most 8 upper-case letters, digits or '_' and no extension ("IM", "").
    std::string fileStem = "IMG", fileExtension = ".dcm";
    /// Enhanced multi-frame only: orientation and rescale in every frame's own functional-group
    /// item instead of the shared one (pixel measures stay shared), with frame z's intercept
    /// rescaleIntercept + z * frameInterceptStep.
    bool perFrameGroups = false;
    double frameInterceptStep = 0;
};

/// Gives the STORED pixel value of column x, row y, slice z (before rescale).
using VoxelFunction = std::function<int(int x, int y, int z)>;

/// What writeSeries wrote.
struct WrittenSeries {
    /// The files, in slice order (ascending z, skipped slices left out).
    std::vector<std::filesystem::path> files;
    /// Slice index z of each entry in `files`.
    std::vector<int> sliceIndices;
    /// The UIDs actually used (generated ones filled in).
    std::string studyUid, seriesUid, frameOfReferenceUid;
};

/// Row direction (first three orientation values).
std::array<double, 3> rowDirection(const SeriesSpec& spec);

/// Column direction (last three orientation values).
std::array<double, 3> columnDirection(const SeriesSpec& spec);

/// Slice normal cross(rowDir, colDir).
std::array<double, 3> sliceNormal(const SeriesSpec& spec);

/// ImagePositionPatient of slice z: origin + z * sliceSpacing * normal.
std::array<double, 3> slicePosition(const SeriesSpec& spec, int z);

/// Patient (LPS mm) position of the (possibly fractional) voxel index (x, y, z):
/// origin + x*colSpacing*rowDir + y*rowSpacing*colDir + z*sliceSpacing*normal.
std::array<double, 3> voxelToPatient(const SeriesSpec& spec, double x, double y, double z);

/// Throws std::invalid_argument describing the first problem with the spec (sizes,
/// spacings, non-orthonormal orientation, bits, modality, transfer syntax).
void validateSpec(const SeriesSpec& spec);

/// Writes the series into `directory` (created if missing), one file per written slice
/// named IMG0001.dcm, IMG0002.dcm, ... . Validates the spec and all values first, so
/// nothing is written if a value does not fit the stored bits (std::invalid_argument).
/// Throws std::runtime_error if DCMTK fails to build or save a file.
WrittenSeries writeSeries(const SeriesSpec& spec, const VoxelFunction& voxel,
                          const std::filesystem::path& directory);

/// Writes the series as ONE enhanced multi-frame file (Enhanced CT / MR Image Storage) at
/// `path`: geometry and rescale in the functional groups (shared: PlaneOrientation,
/// PixelMeasures, PixelValueTransformation; per frame: PlanePosition, FrameContent), no
/// top-level ImagePositionPatient. Frames are stored in slice order, or in a seeded order
/// unrelated to position when spec.shuffleFileNames. Returns the slice index of each frame.
std::vector<int> writeEnhancedMultiFrame(const SeriesSpec& spec, const VoxelFunction& voxel,
                                         const std::filesystem::path& path);

/// Writes `root`/DICOMDIR (General Purpose profile, DCMTK's DicomDirInterface) listing
/// `files` (paths under root whose components are valid DICOM file IDs).
void writeDicomDir(const std::filesystem::path& root, const std::vector<std::filesystem::path>& files);

} // namespace attn::dicomtools
