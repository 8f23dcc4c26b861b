#include "DicomWriter.h"
#include "DicomWriterParts.h"

#include <dcmtk/dcmdata/dcddirif.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>

namespace attn::dicomtools {
namespace parts {

Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

/// A DS value in at most 16 characters, with as many significant digits as fit.
std::string formatDs(double v)
{
    if (std::abs(v) < 1e-12) v = 0; // no "6.1e-17" from cos(90 degrees)
    char buf[64];
    for (int precision = 12; precision > 1; --precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::char_traits<char>::length(buf) <= 16) break;
    }
    return buf;
}

std::string generateUid()
{
    char buf[100];
    return dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
}

std::string uidOrGenerated(const std::string& uid) { return uid.empty() ? generateUid() : uid; }

/// seriesUid.(z+1) if it fits in a UI value, else a fresh UID.
std::string sopInstanceUid(const std::string& seriesUid, int z)
{
    std::string uid = seriesUid + "." + std::to_string(z + 1);
    return uid.size() <= 64 ? uid : generateUid();
}

void check(const OFCondition& cond, const std::string& what)
{
    if (cond.bad()) throw std::runtime_error("DICOM writer: " + what + ": " + cond.text());
}

std::string tagName(const DcmTagKey& tag) { return DcmTag(tag).getTagName(); }

void putString(DcmItem& item, const DcmTagKey& tag, const std::string& value)
{
    check(item.putAndInsertString(tag, value.c_str()), "cannot set " + tagName(tag));
}

void putUint16(DcmItem& item, const DcmTagKey& tag, int value)
{
    check(item.putAndInsertUint16(tag, static_cast<Uint16>(value)), "cannot set " + tagName(tag));
}

/// Smallest and largest stored value representable with the spec's bits and sign.
std::pair<std::int64_t, std::int64_t> storedRange(const SeriesSpec& spec)
{
    const std::int64_t one = 1;
    if (spec.signedPixels) return {-(one << (spec.bitsStored - 1)), (one << (spec.bitsStored - 1)) - 1};
    return {0, std::min<std::int64_t>((one << spec.bitsStored) - 1, std::numeric_limits<int>::max())};
}

/// Seeded Fisher-Yates permutation of 0..n-1 (mt19937 is the same everywhere; the
/// standard distributions are not, so they are not used).
std::vector<int> permutation(int n, unsigned seed)
{
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::mt19937 rng(seed);
    for (int i = n - 1; i > 0; --i) std::swap(order[i], order[rng() % static_cast<unsigned>(i + 1)]);
    return order;
}

/// Slice indices to write, ascending.
std::vector<int> writtenSlices(const SeriesSpec& spec)
{
    std::vector<int> out;
    for (int z = 0; z < spec.slices; ++z)
        if (std::find(spec.skipSlices.begin(), spec.skipSlices.end(), z) == spec.skipSlices.end())
            out.push_back(z);
    return out;
}

/// One slice's stored values (masked to bitsStored), row-major, as the 16-bit words of the
/// pixel data: two per pixel when 32 bits are allocated, in the transfer syntax's byte order
/// (DCMTK swaps the bytes of each word for big endian, so the words are ordered here).
/// Throws if one does not fit.
std::vector<Uint16> sliceValues(const SeriesSpec& spec, const VoxelFunction& voxel, int z,
                                int& minValue, int& maxValue)
{
    const auto [lo, hi] = storedRange(spec);
    const std::uint32_t mask = spec.bitsStored == 32 ? 0xFFFFFFFFu : (1u << spec.bitsStored) - 1u;
    const bool wide = spec.bitsAllocated == 32, bigEndian = spec.transfer == EXS_BigEndianExplicit;
    std::vector<Uint16> out(static_cast<std::size_t>(spec.rows) * spec.cols * (wide ? 2 : 1));
    for (int y = 0; y < spec.rows; ++y) {
        for (int x = 0; x < spec.cols; ++x) {
            const int v = voxel(x, y, z);
            if (v < lo || v > hi)
                throw std::invalid_argument("DICOM writer: stored value " + std::to_string(v) + " at (" +
                                            std::to_string(x) + "," + std::to_string(y) + "," +
                                            std::to_string(z) + ") outside [" + std::to_string(lo) + ", " +
                                            std::to_string(hi) + "]");
            minValue = std::min(minValue, v);
            maxValue = std::max(maxValue, v);
            const std::uint32_t stored = static_cast<std::uint32_t>(v) & mask;
            const std::size_t i = static_cast<std::size_t>(y) * spec.cols + x;
            if (!wide) {
                out[i] = static_cast<Uint16>(stored);
                continue;
            }
            out[2 * i + (bigEndian ? 1 : 0)] = static_cast<Uint16>(stored & 0xFFFFu);
            out[2 * i + (bigEndian ? 0 : 1)] = static_cast<Uint16>(stored >> 16);
        }
    }
    return out;
}

/// Window (centre, width) in modality units.
struct Window {
    double center, width;
};

Window chooseWindow(const SeriesSpec& spec, int minStored, int maxStored)
{
    if (spec.windowCenter && spec.windowWidth) return {*spec.windowCenter, *spec.windowWidth};
    const double a = minStored * spec.rescaleSlope + spec.rescaleIntercept;
    const double b = maxStored * spec.rescaleSlope + spec.rescaleIntercept;
    const Window fromData{(a + b) / 2, std::max(1.0, std::abs(b - a))};
    return {spec.windowCenter.value_or(fromData.center), spec.windowWidth.value_or(fromData.width)};
}

/// Per-file values.
struct SliceInfo {
    int z;
    int instanceNumber;
    const std::vector<Uint16>* pixels;
};

void putPatientAndStudy(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids)
{
    putString(ds, DCM_PatientName, spec.patientName);
    putString(ds, DCM_PatientID, spec.patientId);
    putString(ds, DCM_PatientBirthDate, "");
    putString(ds, DCM_PatientSex, "");
    putString(ds, DCM_StudyInstanceUID, uids.study);
    putString(ds, DCM_StudyDate, spec.studyDate);
    putString(ds, DCM_StudyTime, "120000");
    putString(ds, DCM_ReferringPhysicianName, "");
    putString(ds, DCM_StudyID, "1");
    putString(ds, DCM_AccessionNumber, "");
}

void putSeriesAndEquipment(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids)
{
    putString(ds, DCM_Modality, spec.modality);
    putString(ds, DCM_SeriesInstanceUID, uids.series);
    putString(ds, DCM_SeriesNumber, std::to_string(spec.seriesNumber));
    putString(ds, DCM_SeriesDescription, spec.seriesDescription);
    if (!spec.bodyPartExamined.empty()) putString(ds, DCM_BodyPartExamined, spec.bodyPartExamined);
    putString(ds, DCM_PatientPosition, "HFS");
    putString(ds, DCM_FrameOfReferenceUID, uids.frame);
    putString(ds, DCM_PositionReferenceIndicator, "");
    putString(ds, DCM_Manufacturer, "attnscope");
}

void putInstance(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids, const SliceInfo& slice)
{
    const bool ct = spec.modality == "CT";
    putString(ds, DCM_SOPClassUID, ct ? UID_CTImageStorage : UID_MRImageStorage);
    putString(ds, DCM_SOPInstanceUID, sopInstanceUid(uids.series, slice.z));
    putString(ds, DCM_ImageType, ct ? "DERIVED\\SECONDARY\\AXIAL" : "DERIVED\\SECONDARY\\OTHER");
    putString(ds, DCM_InstanceNumber, std::to_string(slice.instanceNumber));
    putString(ds, DCM_AcquisitionNumber, "1");
    putString(ds, DCM_ContentDate, spec.studyDate);
    putString(ds, DCM_ContentTime, "120000");
}

void putGeometry(DcmItem& ds, const SeriesSpec& spec, int z)
{
    const Vec3 position = slicePosition(spec, z);
    putString(ds, DCM_ImagePositionPatient, formatDsList(position));
    putString(ds, DCM_ImageOrientationPatient, formatDsList(spec.orientation));
    putString(ds, DCM_PixelSpacing, formatDsList(std::array<double, 2>{spec.rowSpacing, spec.colSpacing}));
    putString(ds, DCM_SliceThickness, formatDs(std::abs(spec.sliceSpacing)));
    putString(ds, DCM_SpacingBetweenSlices, formatDs(std::abs(spec.sliceSpacing)));
    putString(ds, DCM_SliceLocation, formatDs(dot(position, sliceNormal(spec))));
}

/// Red, green and blue lookup tables over the 2^bitsStored indices (a ramp in each channel,
/// red rising, blue falling, green peaking mid-way), 16-bit entries.
void putPalette(DcmItem& ds, const SeriesSpec& spec)
{
    const int entries = 1 << spec.bitsStored;
    const Uint16 descriptor[3] = {static_cast<Uint16>(entries), 0, 16};
    std::vector<Uint16> red(entries), green(entries), blue(entries);
    for (int i = 0; i < entries; ++i) {
        const double t = entries > 1 ? static_cast<double>(i) / (entries - 1) : 0.0;
        red[i] = static_cast<Uint16>(65535 * t);
        blue[i] = static_cast<Uint16>(65535 * (1 - t));
        green[i] = static_cast<Uint16>(65535 * (1 - std::abs(2 * t - 1)));
    }
    const std::pair<DcmTagKey, DcmTagKey> channels[3] = {
        {DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData},
        {DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData},
        {DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData}};
    const std::vector<Uint16>* data[3] = {&red, &green, &blue};
    for (int c = 0; c < 3; ++c) {
        check(ds.putAndInsertUint16Array(channels[c].first, descriptor, 3), "cannot set " + tagName(channels[c].first));
        check(ds.putAndInsertUint16Array(channels[c].second, data[c]->data(), static_cast<unsigned long>(entries)),
              "cannot set " + tagName(channels[c].second));
    }
}

void putPixels(DcmItem& ds, const SeriesSpec& spec, const std::vector<Uint16>& pixels)
{
    putUint16(ds, DCM_SamplesPerPixel, 1);
    putString(ds, DCM_PhotometricInterpretation, spec.palette ? "PALETTE COLOR" : "MONOCHROME2");
    if (spec.palette)
        putPalette(ds, spec);
    putUint16(ds, DCM_Rows, spec.rows);
    putUint16(ds, DCM_Columns, spec.cols);
    putUint16(ds, DCM_BitsAllocated, spec.bitsAllocated);
    putUint16(ds, DCM_BitsStored, spec.bitsStored);
    putUint16(ds, DCM_HighBit, spec.bitsStored - 1);
    putUint16(ds, DCM_PixelRepresentation, spec.signedPixels ? 1 : 0);
    check(ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
          "cannot set PixelData");
}

/// Rescale for CT always (with RescaleType HU); for MR only when not the identity
/// (the MR Image IOD has no rescale, though many scanners write one).
void putRescaleAndWindow(DcmItem& ds, const SeriesSpec& spec, const Window& window)
{
    const bool ct = spec.modality == "CT";
    if (ct || spec.rescaleSlope != 1 || spec.rescaleIntercept != 0) {
        putString(ds, DCM_RescaleIntercept, formatDs(spec.rescaleIntercept));
        putString(ds, DCM_RescaleSlope, formatDs(spec.rescaleSlope));
    }
    if (ct) putString(ds, DCM_RescaleType, "HU");
    putString(ds, DCM_WindowCenter, formatDs(window.center));
    putString(ds, DCM_WindowWidth, formatDs(window.width));
}

/// Type 1/2 attributes of the CT and MR Image modules (empty where type 2).
void putModalityModule(DcmItem& ds, const SeriesSpec& spec)
{
    if (spec.modality == "CT") {
        putString(ds, DCM_KVP, "");
        return;
    }
    putString(ds, DCM_ScanningSequence, "RM");
    putString(ds, DCM_SequenceVariant, "NONE");
    putString(ds, DCM_ScanOptions, "");
    putString(ds, DCM_MRAcquisitionType, "3D");
    putString(ds, DCM_RepetitionTime, "");
    putString(ds, DCM_EchoTime, "");
    putString(ds, DCM_EchoTrainLength, "");
}

void writeSliceFile(const SeriesSpec& spec, const SeriesUids& uids, const SliceInfo& slice,
                    const Window& window, const std::filesystem::path& path)
{
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    putPatientAndStudy(ds, spec, uids);
    putSeriesAndEquipment(ds, spec, uids);
    putInstance(ds, spec, uids, slice);
    putGeometry(ds, spec, slice.z);
    putPixels(ds, spec, *slice.pixels);
    putRescaleAndWindow(ds, spec, window);
    putModalityModule(ds, spec);
    check(file.saveFile(OFFilename(path.c_str()), spec.transfer), "cannot save " + path.string());
}

std::filesystem::path fileName(const SeriesSpec& spec, const std::filesystem::path& dir, int index)
{
    char number[16];
    std::snprintf(number, sizeof number, "%04d", index + 1);
    return dir / (spec.fileStem + number + spec.fileExtension);
}

/// Orientation and rescale (with `intercept`) into one functional-group item.
void putOrientationAndRescale(DcmItem& group, const SeriesSpec& spec, double intercept)
{
    putSequenceItem(group, DCM_PlaneOrientationSequence,
                    [&](DcmItem& i) { putString(i, DCM_ImageOrientationPatient, formatDsList(spec.orientation)); });
    putSequenceItem(group, DCM_PixelValueTransformationSequence, [&](DcmItem& i) {
        putString(i, DCM_RescaleIntercept, formatDs(intercept));
        putString(i, DCM_RescaleSlope, formatDs(spec.rescaleSlope));
        putString(i, DCM_RescaleType, spec.modality == "CT" ? "HU" : "US");
    });
}

/// Pixel measures into one functional-group item.
void putPixelMeasures(DcmItem& group, const SeriesSpec& spec)
{
    putSequenceItem(group, DCM_PixelMeasuresSequence, [&](DcmItem& i) {
        putString(i, DCM_PixelSpacing, formatDsList(std::array<double, 2>{spec.rowSpacing, spec.colSpacing}));
        putString(i, DCM_SliceThickness, formatDs(std::abs(spec.sliceSpacing)));
        putString(i, DCM_SpacingBetweenSlices, formatDs(std::abs(spec.sliceSpacing)));
    });
}

/// One per-frame functional group item: the frame's position and its place in the stack (and
/// the plane groups, when the spec puts them per frame).
void putFrameGroup(DcmItem& ds, const SeriesSpec& spec, int z)
{
    DcmItem* frame = nullptr;
    check(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, -2), "cannot add a frame item");
    putSequenceItem(*frame, DCM_PlanePositionSequence,
                    [&](DcmItem& i) { putString(i, DCM_ImagePositionPatient, formatDsList(slicePosition(spec, z))); });
    putSequenceItem(*frame, DCM_FrameContentSequence, [&](DcmItem& i) {
        putString(i, DCM_StackID, "1");
        check(i.putAndInsertUint32(DCM_InStackPositionNumber, static_cast<Uint32>(z + 1)), "cannot set InStackPositionNumber");
    });
    if (spec.perFrameGroups)
        putOrientationAndRescale(*frame, spec, spec.rescaleIntercept + z * spec.frameInterceptStep);
}

bool isUnitVector(const Vec3& v) { return std::abs(dot(v, v) - 1) < 1e-6; }

} // namespace parts

using namespace parts;

std::array<double, 3> rowDirection(const SeriesSpec& spec)
{
    return {spec.orientation[0], spec.orientation[1], spec.orientation[2]};
}

std::array<double, 3> columnDirection(const SeriesSpec& spec)
{
    return {spec.orientation[3], spec.orientation[4], spec.orientation[5]};
}

std::array<double, 3> sliceNormal(const SeriesSpec& spec)
{
    return cross(rowDirection(spec), columnDirection(spec));
}

std::array<double, 3> slicePosition(const SeriesSpec& spec, int z)
{
    return voxelToPatient(spec, 0, 0, z);
}

std::array<double, 3> voxelToPatient(const SeriesSpec& spec, double x, double y, double z)
{
    const Vec3 r = rowDirection(spec), c = columnDirection(spec), n = sliceNormal(spec);
    Vec3 p = spec.origin;
    for (int i = 0; i < 3; ++i)
        p[i] += x * spec.colSpacing * r[i] + y * spec.rowSpacing * c[i] + z * spec.sliceSpacing * n[i];
    return p;
}

void validateSpec(const SeriesSpec& spec)
{
    auto fail = [](const std::string& what) { throw std::invalid_argument("DICOM writer: " + what); };
    if (spec.rows < 1 || spec.cols < 1 || spec.rows > 65535 || spec.cols > 65535 || spec.slices < 1)
        fail("rows, cols must be 1..65535 and slices >= 1");
    if (!(spec.rowSpacing > 0) || !(spec.colSpacing > 0) || !(spec.sliceSpacing != 0))
        fail("pixel spacings must be > 0 and the slice spacing non-zero");
    const Vec3 r = rowDirection(spec), c = columnDirection(spec);
    if (!isUnitVector(r) || !isUnitVector(c) || std::abs(dot(r, c)) > 1e-6)
        fail("orientation must be two orthogonal unit vectors");
    if (spec.bitsAllocated != 16 && spec.bitsAllocated != 32) fail("bitsAllocated must be 16 or 32");
    if (spec.bitsStored < 1 || spec.bitsStored > spec.bitsAllocated) fail("bitsStored must be 1..bitsAllocated");
    if (spec.palette && (spec.signedPixels || spec.bitsStored > 12)) fail("a palette needs unsigned indices of at most 12 bits");
    if (spec.modality != "CT" && spec.modality != "MR") fail("modality must be CT or MR");
    const E_TransferSyntax x = spec.transfer;
    if (x != EXS_LittleEndianExplicit && x != EXS_LittleEndianImplicit && x != EXS_BigEndianExplicit &&
        x != EXS_DeflatedLittleEndianExplicit)
        fail("transfer syntax must be an uncompressed (or deflated) one");
    if (writtenSlices(spec).empty()) fail("every slice is skipped");
}

WrittenSeries writeSeries(const SeriesSpec& spec, const VoxelFunction& voxel,
                          const std::filesystem::path& directory)
{
    validateSpec(spec);
    const std::vector<int> zs = writtenSlices(spec);
    const int n = static_cast<int>(zs.size());

    // All values first: nothing is written if one is out of range.
    int minStored = std::numeric_limits<int>::max(), maxStored = std::numeric_limits<int>::min();
    std::vector<std::vector<Uint16>> pixels;
    pixels.reserve(zs.size());
    for (int z : zs) pixels.push_back(sliceValues(spec, voxel, z, minStored, maxStored));
    const Window window = chooseWindow(spec, minStored, maxStored);

    const SeriesUids uids{uidOrGenerated(spec.studyUid), uidOrGenerated(spec.seriesUid),
                          uidOrGenerated(spec.frameOfReferenceUid)};
    // Shuffled: file names and InstanceNumber from two independent permutations.
    const std::vector<int> fileOrder = spec.shuffleFileNames ? permutation(n, spec.shuffleSeed) : std::vector<int>{};
    const std::vector<int> instanceOrder =
        spec.shuffleFileNames ? permutation(n, spec.shuffleSeed + 1) : std::vector<int>{};

    std::filesystem::create_directories(directory);
    WrittenSeries out{{}, zs, uids.study, uids.series, uids.frame};
    for (int i = 0; i < n; ++i) {
        const int fileIndex = spec.shuffleFileNames ? fileOrder[i] : i;
        const int instanceNumber = (spec.shuffleFileNames ? instanceOrder[i] : zs[i]) + 1;
        out.files.push_back(fileName(spec, directory, fileIndex));
        writeSliceFile(spec, uids, SliceInfo{zs[i], instanceNumber, &pixels[i]}, window, out.files.back());
    }
    return out;
}

std::vector<int> writeEnhancedMultiFrame(const SeriesSpec& spec, const VoxelFunction& voxel,
                                         const std::filesystem::path& path)
{
    validateSpec(spec);
    std::vector<int> zs = writtenSlices(spec);
    if (spec.shuffleFileNames) {
        const std::vector<int> order = permutation(static_cast<int>(zs.size()), spec.shuffleSeed);
        std::vector<int> shuffled;
        for (int i : order) shuffled.push_back(zs[static_cast<std::size_t>(i)]);
        zs = shuffled;
    }
    int minStored = std::numeric_limits<int>::max(), maxStored = std::numeric_limits<int>::min();
    std::vector<Uint16> pixels;
    for (int z : zs) {
        const std::vector<Uint16> frame = sliceValues(spec, voxel, z, minStored, maxStored);
        pixels.insert(pixels.end(), frame.begin(), frame.end());
    }
    const SeriesUids uids{uidOrGenerated(spec.studyUid), uidOrGenerated(spec.seriesUid),
                          uidOrGenerated(spec.frameOfReferenceUid)};
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    putPatientAndStudy(ds, spec, uids);
    putSeriesAndEquipment(ds, spec, uids);
    const bool ct = spec.modality == "CT";
    putString(ds, DCM_SOPClassUID, ct ? UID_EnhancedCTImageStorage : UID_EnhancedMRImageStorage);
    putString(ds, DCM_SOPInstanceUID, sopInstanceUid(uids.series, 0));
    putString(ds, DCM_ImageType, "DERIVED\\SECONDARY\\VOLUME\\NONE");
    putString(ds, DCM_InstanceNumber, "1");
    putString(ds, DCM_ContentDate, spec.studyDate);
    putString(ds, DCM_ContentTime, "120000");
    putString(ds, DCM_NumberOfFrames, std::to_string(zs.size()));
    putSequenceItem(ds, DCM_SharedFunctionalGroupsSequence, [&](DcmItem& shared) { // required, even when empty
        putPixelMeasures(shared, spec);
        if (!spec.perFrameGroups)
            putOrientationAndRescale(shared, spec, spec.rescaleIntercept);
    });
    for (int z : zs) putFrameGroup(ds, spec, z);
    putPixels(ds, spec, pixels);
    std::filesystem::create_directories(path.parent_path());
    check(file.saveFile(OFFilename(path.c_str()), spec.transfer), "cannot save " + path.string());
    return zs;
}

void writeDicomDir(const std::filesystem::path& root, const std::vector<std::filesystem::path>& files)
{
    DicomDirInterface dir;
    dir.disableBackupMode();
    const std::string target = (root / "DICOMDIR").string();
    check(dir.createNewDicomDir(DicomDirInterface::AP_GeneralPurpose, target.c_str(), "ATTNSCOPE"), "cannot create " + target);
    for (const auto& f : files) {
        const std::string relative = std::filesystem::relative(f, root).string();
        check(dir.addDicomFile(relative.c_str(), root.c_str()), "cannot add " + relative + " to " + target);
    }
    check(dir.writeDicomDir(), "cannot write " + target);
}

} // namespace attn::dicomtools
