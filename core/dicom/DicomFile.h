#pragma once
/// @file DicomFile.h
/// One DICOM file read with DCMTK: the header fields a volume needs, and its pixel values
/// after the modality rescale (HU for CT; Gy for an RT dose through DoseGridScaling). Pixels
/// of 1 bit (segmentations), 8, 16 and 32 bits, and Float / Double Float Pixel Data are read;
/// PALETTE COLOR images give their indices (grey). Decoders for RLE, JPEG (baseline, extended,
/// lossless) and JPEG-LS are registered; deflate is handled by DCMTK's zlib support.
/// Anything else encapsulated (JPEG 2000, ...) is refused with the syntax's name and UID.

#include <Eigen/Core>

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// Where a file keeps its pixel values.
enum class PixelStorage {
    Integer,     ///< PixelData (7FE0,0010): BitsAllocated 1, 8, 16 or 32.
    Float32,     ///< Float Pixel Data (7FE0,0008).
    Float64,     ///< Double Float Pixel Data (7FE0,0009).
};

/// One segment a DICOM SEG defines.
struct DicomSegmentInfo {
    int number = 0;      ///< SegmentNumber (what each frame's ReferencedSegmentNumber names).
    std::string label;   ///< SegmentLabel.
};

/// The header of a DICOM image file (what grouping, ordering and decoding need).
struct DicomHeader {
    std::string path;               ///< The file.
    std::string sopInstanceUid;     ///< SOPInstanceUID.
    std::string seriesUid;          ///< SeriesInstanceUID.
    std::string studyUid;           ///< StudyInstanceUID.
    std::string patientName;        ///< PatientName.
    std::string patientId;          ///< PatientID.
    std::string studyDate;          ///< StudyDate (YYYYMMDD).
    std::string modality;           ///< Modality (CT, MR, ...).
    std::string seriesDescription;  ///< SeriesDescription.
    std::string transferSyntax;     ///< Transfer syntax name.
    std::string transferSyntaxUid;  ///< Transfer syntax UID.
    std::string sopClassUid;        ///< SOPClassUID.
    std::string photometric;        ///< PhotometricInterpretation.
    std::string frameOfReferenceUid; ///< FrameOfReferenceUID (the patient space it is placed in).
    std::string units;              ///< What the values are in: DoseUnits of an RT dose ("GY"), else empty.
    PixelStorage storage = PixelStorage::Integer; ///< Which pixel data element holds the values.
    int rows = 0;                   ///< Rows (y).
    int columns = 0;                ///< Columns (x).
    int frames = 1;                 ///< NumberOfFrames.
    int samplesPerPixel = 1;        ///< 1 for grey images.
    int bitsAllocated = 0;          ///< BitsAllocated.
    int bitsStored = 0;             ///< BitsStored.
    int pixelRepresentation = 0;    ///< 0 unsigned, 1 two's complement.
    int instanceNumber = 0;         ///< InstanceNumber (never used for ordering).
    double rescaleSlope = 1.0;      ///< RescaleSlope.
    double rescaleIntercept = 0.0;  ///< RescaleIntercept.
    double sliceThickness = 0.0;    ///< SliceThickness (0 if absent).
    double spacingBetweenSlices = 0.0; ///< SpacingBetweenSlices (0 if absent).
    std::optional<Eigen::Vector3d> position;           ///< ImagePositionPatient (of frame 1).
    std::optional<std::array<double, 6>> orientation;  ///< ImageOrientationPatient: row, then column direction.
    std::optional<std::array<double, 2>> pixelSpacing; ///< PixelSpacing: row spacing (y), column spacing (x).
    std::vector<Eigen::Vector3d> framePositions;       ///< Per-frame positions of an enhanced multi-frame file.
    std::vector<std::array<double, 2>> frameRescale;   ///< Per-frame slope and intercept (enhanced; empty: the ones above).
    bool hasPixels = false;         ///< The file has PixelData (or float pixel data).
    // DICOM SEG
    std::vector<DicomSegmentInfo> segments;  ///< SegmentSequence.
    std::vector<int> frameSegments;          ///< Per frame: its ReferencedSegmentNumber.
    std::string referencedSeriesUid;         ///< ReferencedSeriesSequence: the series it was drawn on.
    double maximumFractionalValue = 0.0;     ///< FRACTIONAL segmentations: the value meaning 1.
};

/// The directions an ImageOrientationPatient gives, as unit vectors: along a row (x), along a
/// column (y), and the slice normal row x column (z).
struct OrientationAxes {
    Eigen::Vector3d row, column, normal;
};

/// The axes of an orientation (row direction, then column direction, as DICOM writes them).
OrientationAxes orientationAxes(const std::array<double, 6>& orientation);

/// True for a DICOM SEG (Segmentation Storage, or Modality SEG).
bool isSegmentation(const DicomHeader& header);

/// True when a file's first bytes (at least 132 of them) hold the DICOM Part 10 preamble:
/// "DICM" after 128 bytes.
bool hasDicomPreamble(std::string_view head);

/// Reads a file's header (pixel data is not decoded). Throws DicomError "FILE: ..." when
/// the file is not DICOM or is unreadable.
DicomHeader readDicomHeader(const std::filesystem::path& path);

/// Decodes the pixel data of all frames, rows x columns x frames values in x-fastest
/// order, with BitsStored, PixelRepresentation and the rescale applied (for an RT dose the
/// DoseGridScaling; 1-bit segmentation frames give 0 or 1). Throws DicomError naming the file
/// for unsupported transfer syntaxes, colour images and truncated data.
std::vector<float> readDicomPixels(const DicomHeader& header);

} // namespace attn
