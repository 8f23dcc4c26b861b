#include "dicom/DicomFile.h"

#include "dicom/DcmtkSetup.h"

#include "util/Error.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcobject.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <fstream>
#include <mutex>
#include <string_view>

namespace attn {

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

/// Enhanced multi-frame geometry: functional groups (shared and per frame).
void readFunctionalGroups(DcmDataset& ds, DicomHeader& h)
{
    DcmItem* shared = nullptr;
    if (ds.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good() && shared) {
        DcmItem* item = nullptr;
        if (!h.orientation && shared->findAndGetSequenceItem(DCM_PlaneOrientationSequence, item, 0).good() && item)
            h.orientation = numbers<6>(*item, DCM_ImageOrientationPatient);
        if (!h.pixelSpacing && shared->findAndGetSequenceItem(DCM_PixelMeasuresSequence, item, 0).good() && item) {
            h.pixelSpacing = numbers<2>(*item, DCM_PixelSpacing);
            h.spacingBetweenSlices = number(*item, DCM_SpacingBetweenSlices, h.spacingBetweenSlices);
            h.sliceThickness = number(*item, DCM_SliceThickness, h.sliceThickness);
        }
        if (shared->findAndGetSequenceItem(DCM_PixelValueTransformationSequence, item, 0).good() && item) {
            h.rescaleSlope = number(*item, DCM_RescaleSlope, h.rescaleSlope);
            h.rescaleIntercept = number(*item, DCM_RescaleIntercept, h.rescaleIntercept);
        }
    }
    for (int f = 0; f < h.frames; ++f) {
        DcmItem* frame = nullptr;
        DcmItem* plane = nullptr;
        if (ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, f).bad() || !frame
            || frame->findAndGetSequenceItem(DCM_PlanePositionSequence, plane, 0).bad() || !plane)
            break;
        const auto p = vector3(*plane, DCM_ImagePositionPatient);
        if (!p)
            break;
        h.framePositions.push_back(*p);
    }
    if (static_cast<int>(h.framePositions.size()) != h.frames)
        h.framePositions.clear();
    else if (!h.position)
        h.position = h.framePositions.front();
}

/// True when the file has the DICOM Part 10 preamble: "DICM" after 128 bytes.
bool hasDicomPreamble(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[132] = {};
    return in.read(magic, sizeof magic) && std::string_view(magic + 128, 4) == "DICM";
}

DcmFileFormat load(const std::filesystem::path& path)
{
    initialiseDcmtk();
    DcmFileFormat file;
    // Large elements (pixel data) stay on disk until they are asked for.
    OFCondition status = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_autoDetect);
    // A bare dataset without the file meta header: DCMTK's guess of its encoding can fail, so
    // try the two little-endian encodings such files use.
    for (const E_TransferSyntax guess : {EXS_LittleEndianExplicit, EXS_LittleEndianImplicit}) {
        if (status.good())
            break;
        file.clear();
        status = file.loadFile(path.c_str(), guess, EGL_noChange, 4096, ERM_dataset);
    }
    if (status.bad())
        fail(path.string(), hasDicomPreamble(path) ? std::string("not a readable DICOM file (") + status.text() + ")"
                                                   : std::string("not a DICOM file (no DICM preamble, and not a bare DICOM dataset)"));
    return file;
}

} // namespace

DicomHeader readDicomHeader(const std::filesystem::path& path)
{
    DcmFileFormat file = load(path);
    DcmDataset& ds = *file.getDataset();
    DicomHeader h;
    h.path = path.string();
    h.sopInstanceUid = text(ds, DCM_SOPInstanceUID);
    h.seriesUid = text(ds, DCM_SeriesInstanceUID);
    h.studyUid = text(ds, DCM_StudyInstanceUID);
    h.patientName = text(ds, DCM_PatientName);
    h.patientId = text(ds, DCM_PatientID);
    h.studyDate = text(ds, DCM_StudyDate);
    h.modality = text(ds, DCM_Modality);
    h.seriesDescription = text(ds, DCM_SeriesDescription);
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
    h.hasPixels = ds.tagExists(DCM_PixelData);
    if (h.frames > 1)
        readFunctionalGroups(ds, h);
    return h;
}

std::vector<float> readDicomPixels(const DicomHeader& h)
{
    const std::string& path = h.path;
    if (!h.hasPixels)
        fail(path, "has no pixel data");
    if (h.samplesPerPixel != 1)
        fail(path, "is a colour image (" + std::to_string(h.samplesPerPixel)
                       + " samples per pixel); only grey images make a volume");
    if (h.bitsAllocated != 8 && h.bitsAllocated != 16)
        fail(path, std::to_string(h.bitsAllocated) + " bits allocated per pixel (supported: 8 and 16)");
    if (h.rows <= 0 || h.columns <= 0)
        fail(path, "has no image size (Rows / Columns)");
    DcmFileFormat file = load(path);
    DcmDataset& ds = *file.getDataset();
    const DcmXfer xfer(ds.getOriginalXfer());
    if (xfer.isEncapsulated() && ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
        fail(path, "unsupported transfer syntax " + std::string(xfer.getXferName()) + " [" + xfer.getXferID()
                       + "]: DCMTK has no decoder for it");
    const std::size_t n = static_cast<std::size_t>(h.rows) * static_cast<std::size_t>(h.columns)
        * static_cast<std::size_t>(h.frames);
    const int bits = h.bitsStored > 0 && h.bitsStored <= h.bitsAllocated ? h.bitsStored : h.bitsAllocated;
    const std::uint32_t mask = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u);
    const auto value = [&](std::uint32_t raw) {
        raw &= mask;
        std::int64_t v = raw;
        if (h.pixelRepresentation == 1 && (raw & (1u << (bits - 1))))
            v -= (std::int64_t{1} << bits); // two's complement in `bits` bits
        return static_cast<float>(h.rescaleSlope * static_cast<double>(v) + h.rescaleIntercept);
    };
    std::vector<float> out(n);
    unsigned long count = 0;
    if (h.bitsAllocated == 16) {
        const Uint16* data = nullptr;
        if (ds.findAndGetUint16Array(DCM_PixelData, data, &count).bad() || !data || count < n)
            fail(path, "pixel data is missing or truncated (" + std::to_string(count) + " of " + std::to_string(n) + " values)");
        for (std::size_t i = 0; i < n; ++i)
            out[i] = value(data[i]);
    } else {
        const Uint8* data = nullptr;
        if (ds.findAndGetUint8Array(DCM_PixelData, data, &count).bad() || !data || count < n)
            fail(path, "pixel data is missing or truncated (" + std::to_string(count) + " of " + std::to_string(n) + " values)");
        for (std::size_t i = 0; i < n; ++i)
            out[i] = value(data[i]);
    }
    return out;
}

} // namespace attn
