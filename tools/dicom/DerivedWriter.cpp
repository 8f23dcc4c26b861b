#include "DerivedWriter.h"
#include "DicomWriterParts.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <stdexcept>

namespace attn::dicomtools {
using namespace parts;
namespace {

/// What every multi-frame object here shares: patient, study, series, instance, image size.
void putMultiFrameBase(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids, const char* sopClass,
                       const std::string& modality, std::size_t frames)
{
    putPatientAndStudy(ds, spec, uids);
    putSeriesAndEquipment(ds, spec, uids);
    putString(ds, DCM_Modality, modality);
    putString(ds, DCM_SOPClassUID, sopClass);
    putString(ds, DCM_SOPInstanceUID, sopInstanceUid(uids.series, 0));
    putString(ds, DCM_InstanceNumber, "1");
    putString(ds, DCM_ContentDate, spec.studyDate);
    putString(ds, DCM_ContentTime, "120000");
    putString(ds, DCM_NumberOfFrames, std::to_string(frames));
    putUint16(ds, DCM_SamplesPerPixel, 1);
    putString(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
    putUint16(ds, DCM_Rows, spec.rows);
    putUint16(ds, DCM_Columns, spec.cols);
}

/// Shared functional groups: orientation and pixel measures only (no rescale).
void putSharedPlaneGroups(DcmItem& ds, const SeriesSpec& spec)
{
    putSequenceItem(ds, DCM_SharedFunctionalGroupsSequence, [&](DcmItem& shared) {
        putSequenceItem(shared, DCM_PlaneOrientationSequence,
                        [&](DcmItem& i) { putString(i, DCM_ImageOrientationPatient, formatDsList(spec.orientation)); });
        putPixelMeasures(shared, spec);
    });
}

/// A per-frame item placing the frame at slice z; `more` adds the object's own groups.
template <class F>
void putFramePosition(DcmItem& ds, const SeriesSpec& spec, int z, F&& more)
{
    DcmItem* frame = nullptr;
    check(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, -2), "cannot add a frame item");
    putSequenceItem(*frame, DCM_PlanePositionSequence,
                    [&](DcmItem& i) { putString(i, DCM_ImagePositionPatient, formatDsList(slicePosition(spec, z))); });
    more(*frame);
}

void save(DcmFileFormat& file, const std::filesystem::path& path, E_TransferSyntax transfer)
{
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path());
    check(file.saveFile(OFFilename(path.c_str()), transfer), "cannot save " + path.string());
}

} // namespace

void writeRtDose(const SeriesSpec& gridIn, const VoxelFunction& stored, double doseGridScaling, const std::filesystem::path& path)
{
    SeriesSpec grid = gridIn;
    grid.bitsAllocated = grid.bitsStored = 32;
    grid.signedPixels = false;
    grid.skipSlices.clear();
    validateSpec(grid);
    if (!(doseGridScaling > 0))
        throw std::invalid_argument("DICOM writer: DoseGridScaling must be > 0");
    std::vector<Uint16> words;
    int lo = 0, hi = 0;
    std::string offsets;
    for (int z = 0; z < grid.slices; ++z) {
        const std::vector<Uint16> frame = sliceValues(grid, stored, z, lo, hi);
        words.insert(words.end(), frame.begin(), frame.end());
        if (z > 0)
            offsets += '\\';
        offsets += formatDs(z * grid.sliceSpacing);
    }
    const SeriesUids uids{uidOrGenerated(grid.studyUid), uidOrGenerated(grid.seriesUid), uidOrGenerated(grid.frameOfReferenceUid)};
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    putMultiFrameBase(ds, grid, uids, UID_RTDoseStorage, "RTDOSE", static_cast<std::size_t>(grid.slices));
    putString(ds, DCM_ImagePositionPatient, formatDsList(slicePosition(grid, 0)));
    putString(ds, DCM_ImageOrientationPatient, formatDsList(grid.orientation));
    putString(ds, DCM_PixelSpacing, formatDsList(std::array<double, 2>{grid.rowSpacing, grid.colSpacing}));
    putString(ds, DCM_GridFrameOffsetVector, offsets);
    check(ds.putAndInsertTagKey(DCM_FrameIncrementPointer, DCM_GridFrameOffsetVector), "cannot set FrameIncrementPointer");
    putUint16(ds, DCM_BitsAllocated, 32);
    putUint16(ds, DCM_BitsStored, 32);
    putUint16(ds, DCM_HighBit, 31);
    putUint16(ds, DCM_PixelRepresentation, 0);
    putString(ds, DCM_DoseUnits, "GY");
    putString(ds, DCM_DoseType, "PHYSICAL");
    putString(ds, DCM_DoseSummationType, "PLAN");
    putString(ds, DCM_DoseGridScaling, formatDs(doseGridScaling));
    check(ds.putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size())), "cannot set PixelData");
    save(file, path, grid.transfer);
}

void writeFloatImage(const SeriesSpec& grid, const FloatVoxelFunction& value, bool doublePrecision, const std::filesystem::path& path)
{
    validateSpec(grid);
    const std::vector<int> zs = writtenSlices(grid);
    std::vector<double> values;
    for (const int z : zs)
        for (int y = 0; y < grid.rows; ++y)
            for (int x = 0; x < grid.cols; ++x)
                values.push_back(value(x, y, z));
    const SeriesUids uids{uidOrGenerated(grid.studyUid), uidOrGenerated(grid.seriesUid), uidOrGenerated(grid.frameOfReferenceUid)};
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    putMultiFrameBase(ds, grid, uids, UID_ParametricMapStorage, grid.modality, zs.size());
    putString(ds, DCM_ImageType, "DERIVED\\PRIMARY");
    putString(ds, DCM_ContentLabel, "VALUES");
    putUint16(ds, DCM_BitsAllocated, doublePrecision ? 64 : 32);
    putSharedPlaneGroups(ds, grid);
    for (const int z : zs)
        putFramePosition(ds, grid, z, [](DcmItem&) {});
    if (doublePrecision) {
        check(ds.putAndInsertFloat64Array(DCM_DoubleFloatPixelData, values.data(), static_cast<unsigned long>(values.size())),
              "cannot set DoubleFloatPixelData");
    } else {
        const std::vector<Float32> singles(values.begin(), values.end());
        check(ds.putAndInsertFloat32Array(DCM_FloatPixelData, singles.data(), static_cast<unsigned long>(singles.size())),
              "cannot set FloatPixelData");
    }
    save(file, path, grid.transfer);
}

namespace {

/// A SEG's frames: (segment number, slice z) of every non-empty frame, and their bits packed least
/// significant bit first, across frames.
struct SegmentFrames {
    std::vector<std::pair<int, int>> frames;
    std::vector<Uint8> bits;
};

SegmentFrames segmentFrames(const SeriesSpec& grid, const WrittenSeries& series, const std::vector<SegmentSpec>& segments)
{
    const std::size_t plane = static_cast<std::size_t>(grid.rows) * static_cast<std::size_t>(grid.cols);
    SegmentFrames out;
    for (std::size_t s = 0; s < segments.size(); ++s)
        for (const int z : series.sliceIndices) {
            std::vector<bool> frame(plane);
            bool any = false;
            for (int y = 0; y < grid.rows; ++y)
                for (int x = 0; x < grid.cols; ++x)
                    any |= frame[static_cast<std::size_t>(y) * grid.cols + x] = segments[s].inside(x, y, z);
            if (!any)
                continue;
            const std::size_t first = out.frames.size() * plane;
            out.frames.emplace_back(static_cast<int>(s) + 1, z);
            out.bits.resize((out.frames.size() * plane + 7) / 8, 0);
            for (std::size_t i = 0; i < plane; ++i)
                if (frame[i])
                    out.bits[(first + i) / 8] |= static_cast<Uint8>(1u << ((first + i) % 8));
        }
    return out;
}

/// The SEG's segments and the CT instances it refers to.
void putSegmentsAndReferences(DcmDataset& ds, const SeriesSpec& grid, const WrittenSeries& series, const std::vector<SegmentSpec>& segments)
{
    for (std::size_t s = 0; s < segments.size(); ++s)
        putSequenceItem(ds, DCM_SegmentSequence, [&](DcmItem& item) {
            putUint16(item, DCM_SegmentNumber, static_cast<int>(s) + 1);
            putString(item, DCM_SegmentLabel, segments[s].label);
            putString(item, DCM_SegmentAlgorithmType, "MANUAL");
        });
    putSequenceItem(ds, DCM_ReferencedSeriesSequence, [&](DcmItem& item) {
        putString(item, DCM_SeriesInstanceUID, series.seriesUid);
        for (const int z : series.sliceIndices)
            putSequenceItem(item, DCM_ReferencedInstanceSequence, [&](DcmItem& instance) {
                putString(instance, DCM_ReferencedSOPClassUID, grid.modality == "CT" ? UID_CTImageStorage : UID_MRImageStorage);
                putString(instance, DCM_ReferencedSOPInstanceUID, sopInstanceUid(series.seriesUid, z));
            });
    });
}

} // namespace

void writeSegmentation(const SeriesSpec& grid, const WrittenSeries& series, const std::vector<SegmentSpec>& segments,
                       const std::filesystem::path& path)
{
    validateSpec(grid);
    if (segments.empty())
        throw std::invalid_argument("DICOM writer: a segmentation needs at least one segment");
    const SegmentFrames f = segmentFrames(grid, series, segments);
    if (f.frames.empty())
        throw std::invalid_argument("DICOM writer: no segment covers any voxel");
    // The SEG's own series: the CT's UID + ".1000" (deterministic output), if that fits.
    const std::string own = series.seriesUid + ".1000";
    const SeriesUids uids{series.studyUid, own.size() <= 64 ? own : generateUid(), series.frameOfReferenceUid};
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    putMultiFrameBase(ds, grid, uids, UID_SegmentationStorage, "SEG", f.frames.size());
    putString(ds, DCM_ImageType, "DERIVED\\PRIMARY");
    putString(ds, DCM_ContentLabel, "ATTNSCOPE");
    putString(ds, DCM_ContentCreatorName, "attnscope^tests");
    putString(ds, DCM_SegmentationType, "BINARY");
    putString(ds, DCM_LossyImageCompression, "00");
    putUint16(ds, DCM_BitsAllocated, 1);
    putUint16(ds, DCM_BitsStored, 1);
    putUint16(ds, DCM_HighBit, 0);
    putUint16(ds, DCM_PixelRepresentation, 0);
    putSegmentsAndReferences(ds, grid, series, segments);
    putSharedPlaneGroups(ds, grid);
    for (const auto& [segment, z] : f.frames)
        putFramePosition(ds, grid, z, [&, segment = segment](DcmItem& frame) {
            putSequenceItem(frame, DCM_SegmentIdentificationSequence,
                            [&](DcmItem& i) { putUint16(i, DCM_ReferencedSegmentNumber, segment); });
        });
    check(ds.putAndInsertUint8Array(DCM_PixelData, f.bits.data(), static_cast<unsigned long>(f.bits.size())), "cannot set PixelData");
    save(file, path, EXS_LittleEndianExplicit);
}

} // namespace attn::dicomtools
