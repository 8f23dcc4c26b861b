#include "dicom/DicomFile.h"

#include "io/BinaryFile.h"

#include "dicom/DcmtkSetup.h"

#include "util/Error.h"

#include <Eigen/Geometry>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcobject.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <string_view>

namespace attn {

std::string loadWithDcmtk(DcmFileFormat& file, const std::string& path, E_TransferSyntax syntax, E_FileReadMode mode)
{
    initialiseDcmtk();
    try {
        const OFCondition status = file.loadFile(OFFilename(path.c_str()), syntax, EGL_noChange, 4096, mode);
        return status.good() ? std::string() : std::string(status.text());
    } catch (const std::exception& e) {
        file.clear();
        return std::string("DCMTK failed: ") + e.what();
    }
}

/// Registers DCMTK's decoders once per process and quiets its logger (errors are ours to report).
void initialiseDcmtk()
{
    static std::once_flag once;
    std::call_once(once, [] {
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        // Nothing after the pixel data matters here, and some files carry megabytes of zero
        // padding there that DCMTK would parse as (0000,0000) elements, one by one (1.5 s for
        // the MR series' first file): stop at the pixel data, as DCMTK provides for.
        dcmStopParsingAfterElement.set(DCM_PixelData);
        // Elements written as UN by a tool that did not know them (pydicom's GDCM-converted
        // rtdose_rle.dcm has DoseGridScaling and DoseUnits as UN) are read with the VR of
        // DCMTK's dictionary, as pydicom reads them; otherwise their values come out as hex bytes.
        dcmEnableUnknownVRConversion.set(OFTrue);
    });
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what)
{
    throw DicomError(path + ": " + what);
}

std::string text(DcmItem& item, const DcmTagKey& tag)
{
    OFString value;
    return item.findAndGetOFString(tag, value).good() ? std::string(value.c_str()) : std::string();
}

int integer(DcmItem& item, const DcmTagKey& tag, int fallback)
{
    Uint16 u = 0;
    if (item.findAndGetUint16(tag, u).good())
        return u;
    Sint32 s = 0;
    if (item.findAndGetSint32(tag, s).good())
        return static_cast<int>(s);
    const std::string t = text(item, tag); // IS strings (NumberOfFrames, InstanceNumber)
    try {
        return t.empty() ? fallback : std::stoi(t);
    } catch (const std::exception&) {
        return fallback;
    }
}

double number(DcmItem& item, const DcmTagKey& tag, double fallback, unsigned long pos = 0)
{
    Float64 v = 0;
    return item.findAndGetFloat64(tag, v, pos).good() ? v : fallback;
}

template <std::size_t N>
std::optional<std::array<double, N>> numbers(DcmItem& item, const DcmTagKey& tag)
{
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        Float64 v = 0;
        if (item.findAndGetFloat64(tag, v, static_cast<unsigned long>(i)).bad())
            return std::nullopt;
        out[i] = v;
    }
    return out;
}

std::optional<Eigen::Vector3d> vector3(DcmItem& item, const DcmTagKey& tag)
{
    const auto v = numbers<3>(item, tag);
    return v ? std::optional<Eigen::Vector3d>(Eigen::Vector3d((*v)[0], (*v)[1], (*v)[2])) : std::nullopt;
}

/// What one functional-group item (shared, or one frame's) says about geometry and rescale.
struct FrameGroups {
    std::optional<std::array<double, 6>> orientation;
    std::optional<std::array<double, 2>> pixelSpacing;
    std::optional<double> sliceThickness, spacingBetweenSlices;
    std::optional<std::array<double, 2>> rescale; ///< slope, intercept
    std::optional<Eigen::Vector3d> position;
};

FrameGroups readGroups(DcmItem& group)
{
    FrameGroups g;
    DcmItem* item = nullptr;
    if (group.findAndGetSequenceItem(DCM_PlaneOrientationSequence, item, 0).good() && item)
        g.orientation = numbers<6>(*item, DCM_ImageOrientationPatient);
    if (group.findAndGetSequenceItem(DCM_PixelMeasuresSequence, item, 0).good() && item) {
        g.pixelSpacing = numbers<2>(*item, DCM_PixelSpacing);
        if (const double t = number(*item, DCM_SliceThickness, -1); t >= 0)
            g.sliceThickness = t;
        if (const double d = number(*item, DCM_SpacingBetweenSlices, -1); d >= 0)
            g.spacingBetweenSlices = d;
    }
    if (group.findAndGetSequenceItem(DCM_PixelValueTransformationSequence, item, 0).good() && item)
        g.rescale = std::array<double, 2>{number(*item, DCM_RescaleSlope, 1.0), number(*item, DCM_RescaleIntercept, 0.0)};
    if (group.findAndGetSequenceItem(DCM_PlanePositionSequence, item, 0).good() && item)
        g.position = vector3(*item, DCM_ImagePositionPatient);
    return g;
}

template <std::size_t N>
bool same(const std::array<double, N>& a, const std::array<double, N>& b)
{
    for (std::size_t i = 0; i < N; ++i)
        if (std::abs(a[i] - b[i]) > 1e-4)
            return false;
    return true;
}

/// Enhanced multi-frame geometry and rescale from the functional groups: each frame's own item
/// first, then the shared one. Orientation and pixel spacing must be the same in every frame
/// (one volume); the rescale may differ per frame. Only the per-frame items the file has are
/// read, for frames up to NumberOfFrames (a frame cut from a multi-frame file may keep all of
/// them); frames without one take the shared groups.
void readFunctionalGroups(DcmDataset& ds, DicomHeader& h)
{
    DcmItem* sharedItem = nullptr;
    const FrameGroups shared = ds.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, sharedItem, 0).good() && sharedItem
        ? readGroups(*sharedItem) : FrameGroups{};
    DcmSequenceOfItems* perFrame = nullptr;
    const unsigned long items = ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame).good() && perFrame ? perFrame->card() : 0;
    std::vector<FrameGroups> frames; // the first frames' own groups
    for (unsigned long f = 0; f < std::min(items, static_cast<unsigned long>(std::max(0, h.frames))); ++f) {
        DcmItem* item = perFrame->getItem(f);
        frames.push_back(item ? readGroups(*item) : FrameGroups{});
    }
    const auto pick = [&](const FrameGroups& frame, auto member) { return (frame.*member) ? (frame.*member) : (shared.*member); };
    const FrameGroups& first = frames.empty() ? shared : frames.front();
    if (!h.orientation)
        h.orientation = pick(first, &FrameGroups::orientation);
    if (!h.pixelSpacing)
        h.pixelSpacing = pick(first, &FrameGroups::pixelSpacing);
    h.sliceThickness = pick(first, &FrameGroups::sliceThickness).value_or(h.sliceThickness);
    h.spacingBetweenSlices = pick(first, &FrameGroups::spacingBetweenSlices).value_or(h.spacingBetweenSlices);
    bool perFrameRescale = false;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        const FrameGroups& frame = frames[f];
        const auto orientation = pick(frame, &FrameGroups::orientation);
        const auto spacing = pick(frame, &FrameGroups::pixelSpacing);
        if ((orientation && h.orientation && !same(*orientation, *h.orientation)) || (spacing && h.pixelSpacing && !same(*spacing, *h.pixelSpacing)))
            fail(h.path, "frame " + std::to_string(f + 1) + " has another orientation or pixel spacing than frame 1: not one volume");
        perFrameRescale = perFrameRescale || frame.rescale.has_value();
        if (frame.position)
            h.framePositions.push_back(*frame.position);
    }
    if (const auto rescale = shared.rescale) {
        h.rescaleSlope = (*rescale)[0];
        h.rescaleIntercept = (*rescale)[1];
    }
    if (perFrameRescale) // one per frame (NumberOfFrames is bounded by the pixel data by now)
        for (std::size_t f = 0; f < static_cast<std::size_t>(h.frames); ++f)
            h.frameRescale.push_back((f < frames.size() ? frames[f].rescale : std::nullopt)
                                         .value_or(std::array<double, 2>{h.rescaleSlope, h.rescaleIntercept}));
    if (static_cast<int>(h.framePositions.size()) != h.frames)
        h.framePositions.clear();
    else if (!h.position)
        h.position = h.framePositions.front();
}

DcmFileFormat load(const std::filesystem::path& path)
{
    DcmFileFormat file;
    // Large elements (pixel data) stay on disk until they are asked for.
    std::string whyNot = loadWithDcmtk(file, path.string());
    // A bare dataset without the file meta header: DCMTK's guess of its encoding can fail, so
    // try the two little-endian encodings such files use.
    for (const E_TransferSyntax guess : {EXS_LittleEndianExplicit, EXS_LittleEndianImplicit}) {
        if (whyNot.empty())
            break;
        file.clear();
        whyNot = loadWithDcmtk(file, path.string(), guess, ERM_dataset);
    }
    if (!whyNot.empty())
        fail(path.string(), hasDicomPreamble(readFileHead(path, 132)) ? "not a readable DICOM file (" + whyNot + ")"
                                                   : std::string("not a DICOM file (no DICM preamble, and not a bare DICOM dataset)"));
    return file;
}

DcmTagKey pixelTag(PixelStorage storage)
{
    switch (storage) {
    case PixelStorage::Float32: return DCM_FloatPixelData;
    case PixelStorage::Float64: return DCM_DoubleFloatPixelData;
    case PixelStorage::Integer: break;
    }
    return DCM_PixelData;
}

/// An RT dose: DoseGridScaling is its rescale slope (dose = stored value x scaling), DoseUnits
/// its unit, and GridFrameOffsetVector places its frames along the normal (offsets from the
/// first frame's ImagePositionPatient; an absolute first offset is its own position's, so
/// the differences hold in both of the standard's forms).
void readDoseGrid(DcmDataset& ds, DicomHeader& h)
{
    if (ds.tagExists(DCM_DoseGridScaling) && !ds.tagExists(DCM_RescaleSlope))
        h.rescaleSlope = number(ds, DCM_DoseGridScaling, 1.0);
    h.units = text(ds, DCM_DoseUnits);
    if (!h.framePositions.empty() || !h.position || h.frames < 2 || !ds.tagExists(DCM_GridFrameOffsetVector))
        return;
    std::vector<double> offsets;
    for (int f = 0; f < h.frames; ++f) {
        Float64 v = 0;
        if (ds.findAndGetFloat64(DCM_GridFrameOffsetVector, v, static_cast<unsigned long>(f)).bad() || !std::isfinite(v))
            return; // fewer offsets than frames: placed by the slice spacing instead
        offsets.push_back(v);
    }
    const Eigen::Vector3d normal = orientationAxes(h.orientation.value_or(std::array<double, 6>{1, 0, 0, 0, 1, 0})).normal;
    for (const double offset : offsets)
        h.framePositions.push_back(*h.position + normal * (offset - offsets.front()));
}

/// A DICOM SEG: its segments, each frame's segment, the series it was drawn on, and for a
/// FRACTIONAL one the value that means "inside".
void readSegments(DcmDataset& ds, DicomHeader& h)
{
    if (!isSegmentation(h))
        return;
    DcmItem* item = nullptr;
    for (unsigned long i = 0; ds.findAndGetSequenceItem(DCM_SegmentSequence, item, static_cast<int>(i)).good() && item; ++i)
        h.segments.push_back({integer(*item, DCM_SegmentNumber, static_cast<int>(i) + 1), text(*item, DCM_SegmentLabel)});
    const int only = h.segments.size() == 1 ? h.segments.front().number : 0;
    for (int f = 0; f < h.frames; ++f) {
        DcmItem* frame = nullptr;
        DcmItem* id = nullptr;
        const bool named = ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, f).good() && frame
            && frame->findAndGetSequenceItem(DCM_SegmentIdentificationSequence, id, 0).good() && id;
        h.frameSegments.push_back(named ? integer(*id, DCM_ReferencedSegmentNumber, 0) : only);
    }
    if (ds.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, item, 0).good() && item)
        h.referencedSeriesUid = text(*item, DCM_SeriesInstanceUID);
    if (text(ds, DCM_SegmentationType) == "FRACTIONAL")
        h.maximumFractionalValue = std::max(1, integer(ds, DCM_MaximumFractionalValue, 255));
}

/// Checks that the pixels a header claims can be in the file, before anything is read or
/// allocated for them: uncompressed, rows x columns x frames x samples x bits must fit in the
/// file's bytes (in 1,032 times them for a deflated dataset, deflate's largest ratio);
/// compressed, each frame needs at least one fragment. (A 2 KB file claiming 65,535 x 65,535
/// pixels in 1,000 frames is refused here.)
void checkClaimedPixels(DcmDataset& ds, const DicomHeader& h)
{
    DcmElement* element = nullptr;
    if (h.rows <= 0 || h.columns <= 0 || ds.findAndGetElement(pixelTag(h.storage), element).bad() || !element)
        return; // readDicomPixels says what is missing
    const std::uint64_t pixels = static_cast<std::uint64_t>(h.rows) * static_cast<std::uint64_t>(h.columns)
        * static_cast<std::uint64_t>(h.frames) * static_cast<std::uint64_t>(std::max(1, h.samplesPerPixel));
    const std::string claim = std::to_string(h.rows) + " x " + std::to_string(h.columns) + " pixels in "
        + std::to_string(h.frames) + " frame(s)";
    const DcmXfer xfer(ds.getOriginalXfer());
    if (!xfer.isEncapsulated() || h.storage != PixelStorage::Integer) {
        const std::uint64_t bytes = (pixels * static_cast<std::uint64_t>(std::clamp(h.bitsAllocated, 1, 64)) + 7) / 8;
        const std::uint64_t fileBytes = std::filesystem::file_size(h.path);
        if (bytes > fileBytes * (xfer.getXfer() == EXS_DeflatedLittleEndianExplicit ? 1032 : 1))
            fail(h.path, "claims " + claim + " of " + std::to_string(h.bitsAllocated) + " bits (" + std::to_string(bytes)
                             + " bytes), but the file has " + std::to_string(fileBytes) + " bytes");
        return;
    }
    DcmPixelSequence* fragments = nullptr;
    auto* pixelData = dynamic_cast<DcmPixelData*>(element);
    if (!pixelData || pixelData->getEncapsulatedRepresentation(xfer.getXfer(), nullptr, fragments).bad() || !fragments)
        fail(h.path, "claims compressed pixel data (" + std::string(xfer.getXferName()) + ") but has no fragments");
    const unsigned long frameFragments = fragments->card() > 0 ? fragments->card() - 1 : 0; // the first item is the offset table
    if (static_cast<std::uint64_t>(h.frames) > frameFragments)
        fail(h.path, "claims " + claim + ", but its compressed pixel data has " + std::to_string(frameFragments)
                         + " fragment(s): at least one per frame is needed");
}

} // namespace

OrientationAxes orientationAxes(const std::array<double, 6>& o)
{
    const Eigen::Vector3d row = Eigen::Vector3d(o[0], o[1], o[2]).normalized(), column = Eigen::Vector3d(o[3], o[4], o[5]).normalized();
    return {row, column, row.cross(column).normalized()};
}

bool isSegmentation(const DicomHeader& header)
{
    return header.sopClassUid == UID_SegmentationStorage || header.modality == "SEG";
}

bool hasDicomPreamble(std::string_view head)
{
    return head.size() >= 132 && head.substr(128, 4) == "DICM";
}

/// The identifying and describing text of a header: UIDs, patient, study, modality, series.
void readIdentity(DcmDataset& ds, DicomHeader& h)
{
    h.sopInstanceUid = text(ds, DCM_SOPInstanceUID);
    h.seriesUid = text(ds, DCM_SeriesInstanceUID);
    h.studyUid = text(ds, DCM_StudyInstanceUID);
    h.patientName = text(ds, DCM_PatientName);
    h.patientId = text(ds, DCM_PatientID);
    h.studyDate = text(ds, DCM_StudyDate);
    h.modality = text(ds, DCM_Modality);
    h.seriesDescription = text(ds, DCM_SeriesDescription);
    h.sopClassUid = text(ds, DCM_SOPClassUID);
    h.frameOfReferenceUid = text(ds, DCM_FrameOfReferenceUID);
}

DicomHeader readDicomHeader(const std::filesystem::path& path)
{
    DcmFileFormat file = load(path);
    DcmDataset& ds = *file.getDataset();
    DicomHeader h;
    h.path = path.string();
    readIdentity(ds, h);
    const DcmXfer xfer(ds.getOriginalXfer());
    h.transferSyntax = xfer.getXferName();
    h.transferSyntaxUid = xfer.getXferID();
    h.rows = integer(ds, DCM_Rows, 0);
    h.columns = integer(ds, DCM_Columns, 0);
    h.frames = std::max(1, integer(ds, DCM_NumberOfFrames, 1));
    h.samplesPerPixel = integer(ds, DCM_SamplesPerPixel, 1);
    h.bitsAllocated = integer(ds, DCM_BitsAllocated, 0);
    h.bitsStored = integer(ds, DCM_BitsStored, h.bitsAllocated);
    h.pixelRepresentation = integer(ds, DCM_PixelRepresentation, 0);
    h.instanceNumber = integer(ds, DCM_InstanceNumber, 0);
    h.rescaleSlope = number(ds, DCM_RescaleSlope, 1.0);
    h.rescaleIntercept = number(ds, DCM_RescaleIntercept, 0.0);
    h.sliceThickness = number(ds, DCM_SliceThickness, 0.0);
    h.spacingBetweenSlices = number(ds, DCM_SpacingBetweenSlices, 0.0);
    h.position = vector3(ds, DCM_ImagePositionPatient);
    h.orientation = numbers<6>(ds, DCM_ImageOrientationPatient);
    h.pixelSpacing = numbers<2>(ds, DCM_PixelSpacing);
    h.photometric = text(ds, DCM_PhotometricInterpretation);
    h.storage = ds.tagExists(DCM_FloatPixelData) ? PixelStorage::Float32
        : ds.tagExists(DCM_DoubleFloatPixelData) ? PixelStorage::Float64 : PixelStorage::Integer;
    if (h.storage != PixelStorage::Integer)
        h.bitsAllocated = h.bitsStored = h.storage == PixelStorage::Float32 ? 32 : 64;
    h.hasPixels = ds.tagExists(DCM_PixelData) || h.storage != PixelStorage::Integer;
    if (h.hasPixels && (h.rows <= 0 || h.columns <= 0)) // no size to check NumberOfFrames against: not an image to list
        fail(h.path, "has pixel data but " + std::string(h.rows <= 0 ? "no Rows" : "no Columns") + " (" + std::to_string(h.rows) + " x "
                         + std::to_string(h.columns) + ")");
    checkClaimedPixels(ds, h); // before any per-frame work: NumberOfFrames is a claim too
    if (!h.hasPixels)
        return h; // not an image: its NumberOfFrames is checked against nothing, so no per-frame work
    if (ds.tagExists(DCM_SharedFunctionalGroupsSequence) || ds.tagExists(DCM_PerFrameFunctionalGroupsSequence))
        readFunctionalGroups(ds, h); // an enhanced file, of one frame or many
    readDoseGrid(ds, h);
    readSegments(ds, h);
    return h;
}

namespace {

/// The modality value of stored value v in frame `frame`.
struct Rescale {
    const DicomHeader& h;
    double operator()(double v, std::size_t frame) const
    {
        const auto& [slope, intercept] = h.frameRescale.empty() ? std::array<double, 2>{h.rescaleSlope, h.rescaleIntercept}
                                                                : h.frameRescale[frame];
        return slope * v + intercept;
    }
};

[[noreturn]] void truncated(const std::string& path, std::size_t have, std::size_t need)
{
    fail(path, "pixel data is missing or truncated (" + std::to_string(have) + " of " + std::to_string(need) + " values)");
}

/// Float or Double Float Pixel Data, rescaled (parametric maps, some PET and dose exports).
template <typename T>
std::vector<float> floatPixels(DcmDataset& ds, const DicomHeader& h, std::size_t n, std::size_t frameSize)
{
    const T* data = nullptr;
    unsigned long count = 0;
    OFCondition status;
    if constexpr (sizeof(T) == 4)
        status = ds.findAndGetFloat32Array(DCM_FloatPixelData, data, &count);
    else
        status = ds.findAndGetFloat64Array(DCM_DoubleFloatPixelData, data, &count);
    if (status.bad() || !data || count < n)
        truncated(h.path, data ? count : 0, n);
    std::vector<float> out(n);
    const Rescale rescale{h};
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<float>(rescale(static_cast<double>(data[i]), i / frameSize));
    return out;
}

/// The stored integer of pixel i, before masking to BitsStored: 1-bit pixels packed eight to a
/// byte, least significant bit first, across frame boundaries; 32-bit ones from two 16-bit
/// words, in the byte order the file was written in (DCMTK swaps OW data word by word).
struct StoredIntegers {
    const Uint8* bytes = nullptr;
    const Uint16* words = nullptr;
    int bitsAllocated = 16;
    bool bigEndian = false;

    std::uint32_t operator()(std::size_t i) const
    {
        switch (bitsAllocated) {
        case 1: return (bytes[i >> 3] >> (i & 7)) & 1u;
        case 8: return bytes[i];
        case 16: return words[i];
        default:
            return bigEndian ? (std::uint32_t{words[2 * i]} << 16) | words[2 * i + 1]
                             : words[2 * i] | (std::uint32_t{words[2 * i + 1]} << 16);
        }
    }
};

std::vector<float> integerPixels(DcmDataset& ds, const DicomHeader& h, std::size_t n, std::size_t frameSize)
{
    StoredIntegers stored{nullptr, nullptr, h.bitsAllocated, DcmXfer(ds.getOriginalXfer()).getXfer() == EXS_BigEndianExplicit};
    unsigned long count = 0;
    std::size_t have = 0;
    if (h.bitsAllocated <= 8) {
        ds.findAndGetUint8Array(DCM_PixelData, stored.bytes, &count);
        have = stored.bytes ? (h.bitsAllocated == 1 ? count * std::size_t{8} : count) : 0;
    } else {
        ds.findAndGetUint16Array(DCM_PixelData, stored.words, &count);
        have = stored.words ? (h.bitsAllocated == 32 ? count / 2 : count) : 0;
    }
    if (have < n)
        truncated(h.path, have, n);
    const int bits = h.bitsStored > 0 && h.bitsStored <= h.bitsAllocated ? h.bitsStored : h.bitsAllocated;
    const std::uint32_t mask = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u);
    const bool signedValues = h.pixelRepresentation == 1 && bits > 1;
    const Rescale rescale{h};
    std::vector<float> out(n); // only once the values are there
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t raw = stored(i) & mask;
        std::int64_t v = raw;
        if (signedValues && (raw & (1u << (bits - 1))))
            v -= (std::int64_t{1} << bits); // two's complement in `bits` bits
        out[i] = static_cast<float>(rescale(static_cast<double>(v), i / frameSize));
    }
    return out;
}

} // namespace

std::vector<float> readDicomPixels(const DicomHeader& h)
{
    const std::string& path = h.path;
    if (!h.hasPixels)
        fail(path, "has no pixel data");
    if (h.samplesPerPixel != 1)
        fail(path, "is a colour image (" + std::to_string(h.samplesPerPixel)
                       + " samples per pixel); only grey images make a volume");
    if (h.storage == PixelStorage::Integer && h.bitsAllocated != 1 && h.bitsAllocated != 8 && h.bitsAllocated != 16 && h.bitsAllocated != 32)
        fail(path, std::to_string(h.bitsAllocated) + " bits allocated per pixel (supported: 1, 8, 16 and 32)");
    if (h.rows <= 0 || h.columns <= 0)
        fail(path, "has no image size (Rows / Columns)");
    DcmFileFormat file = load(path);
    DcmDataset& ds = *file.getDataset();
    const DcmXfer xfer(ds.getOriginalXfer());
    if (h.storage == PixelStorage::Integer && xfer.isEncapsulated()) {
        std::string why;
        try {
            why = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ? "DCMTK has no decoder for it" : "";
        } catch (const std::exception& e) {
            why = std::string("DCMTK failed to decode it: ") + e.what();
        }
        if (!why.empty())
            fail(path, "unsupported transfer syntax " + std::string(xfer.getXferName()) + " [" + xfer.getXferID() + "]: " + why);
    }
    const std::size_t frameSize = static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.columns);
    const std::size_t n = frameSize * static_cast<std::size_t>(h.frames);
    switch (h.storage) {
    case PixelStorage::Float32: return floatPixels<Float32>(ds, h, n, frameSize);
    case PixelStorage::Float64: return floatPixels<Float64>(ds, h, n, frameSize);
    case PixelStorage::Integer: break;
    }
    return integerPixels(ds, h, n, frameSize);
}

} // namespace attn
