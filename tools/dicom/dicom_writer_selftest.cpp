/// @file dicom_writer_selftest.cpp
/// attnscope-dicom-writer-selftest [DIR]: writes series with the writer (every supported
/// transfer syntax, signed/unsigned, 12-bit, oblique + shuffled + gaps, MR) into DIR (a
/// temporary directory by default), reads every file back with DCMTK and checks the tags,
/// the geometry and every pixel value. Exit status 0 if all checks pass.

#include "DicomWriter.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmimgle/dcmimage.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

namespace {

namespace dt = attn::dicomtools;
namespace fs = std::filesystem;

int failures = 0;

void expect(bool ok, const std::string& what)
{
    if (!ok) {
        ++failures;
        std::printf("  FAIL: %s\n", what.c_str());
    }
}

std::string getString(DcmItem& ds, const DcmTagKey& tag, int index = -1)
{
    OFString value;
    const OFCondition c = index < 0 ? ds.findAndGetOFStringArray(tag, value) : ds.findAndGetOFString(tag, value, index);
    return c.good() ? std::string(value.c_str()) : std::string("<missing>");
}

double getDouble(DcmItem& ds, const DcmTagKey& tag, int index)
{
    Float64 v = NAN;
    ds.findAndGetFloat64(tag, v, index);
    return v;
}

int getUint16(DcmItem& ds, const DcmTagKey& tag)
{
    Uint16 v = 0;
    return ds.findAndGetUint16(tag, v).good() ? v : -1;
}

/// Value of a stored sample given the bits and sign.
int decodeStored(Uint16 raw, int bitsStored, bool isSigned)
{
    const unsigned mask = bitsStored == 16 ? 0xFFFFu : (1u << bitsStored) - 1u;
    int v = static_cast<int>(raw & mask);
    if (isSigned && (v & (1 << (bitsStored - 1)))) v -= 1 << bitsStored;
    return v;
}

/// Test pattern spread over the stored range, with both extremes in every slice.
dt::VoxelFunction pattern(const dt::SeriesSpec& s)
{
    const int lo = s.signedPixels ? -(1 << (s.bitsStored - 1)) : 0;
    const int hi = s.signedPixels ? (1 << (s.bitsStored - 1)) - 1 : (1 << s.bitsStored) - 1;
    return [=](int x, int y, int z) {
        if (y == 0 && x < 2) return x == 0 ? lo : hi;
        return lo + (x * 7919 + y * 104729 + z * 1299709) % (hi - lo + 1);
    };
}

/// Checks one file against the spec; returns its slice index z (from its position).
int checkFile(const fs::path& path, const dt::SeriesSpec& s, const dt::VoxelFunction& voxel,
              const dt::WrittenSeries& w)
{
    DcmFileFormat file;
    const OFCondition c = file.loadFile(OFFilename(path.c_str()));
    expect(c.good(), "load " + path.string());
    if (c.bad()) return -1;
    DcmDataset& ds = *file.getDataset();
    expect(ds.getOriginalXfer() == s.transfer, "transfer syntax of " + path.string());
    expect(getString(ds, DCM_Modality) == s.modality, "Modality");
    expect(getString(ds, DCM_SOPClassUID) == (s.modality == "CT" ? UID_CTImageStorage : UID_MRImageStorage), "SOPClassUID");
    expect(getString(ds, DCM_SeriesInstanceUID) == w.seriesUid, "SeriesInstanceUID");
    expect(getString(ds, DCM_StudyInstanceUID) == w.studyUid, "StudyInstanceUID");
    expect(getString(ds, DCM_FrameOfReferenceUID) == w.frameOfReferenceUid, "FrameOfReferenceUID");
    expect(getUint16(ds, DCM_Rows) == s.rows && getUint16(ds, DCM_Columns) == s.cols, "Rows/Columns");
    expect(getUint16(ds, DCM_BitsStored) == s.bitsStored && getUint16(ds, DCM_HighBit) == s.bitsStored - 1, "Bits");
    expect(getUint16(ds, DCM_PixelRepresentation) == (s.signedPixels ? 1 : 0), "PixelRepresentation");
    for (int i = 0; i < 6; ++i) expect(std::abs(getDouble(ds, DCM_ImageOrientationPatient, i) - s.orientation[i]) < 1e-9, "IOP");
    expect(std::abs(getDouble(ds, DCM_PixelSpacing, 0) - s.rowSpacing) < 1e-9, "PixelSpacing[0] = row spacing");
    expect(std::abs(getDouble(ds, DCM_PixelSpacing, 1) - s.colSpacing) < 1e-9, "PixelSpacing[1] = column spacing");
    expect(std::abs(getDouble(ds, DCM_RescaleSlope, 0) - s.rescaleSlope) < 1e-9 || s.modality == "MR", "RescaleSlope");

    // Slice index from the position: (IPP - origin) . normal / sliceSpacing must be an integer.
    const auto n = dt::sliceNormal(s);
    double along = 0;
    for (int i = 0; i < 3; ++i) along += (getDouble(ds, DCM_ImagePositionPatient, i) - s.origin[i]) * n[i];
    const int z = static_cast<int>(std::lround(along / s.sliceSpacing));
    const auto expected = dt::slicePosition(s, z);
    for (int i = 0; i < 3; ++i) expect(std::abs(getDouble(ds, DCM_ImagePositionPatient, i) - expected[i]) < 1e-6, "IPP");

    const Uint16* pixels = nullptr;
    unsigned long count = 0;
    expect(ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).good() &&
               count == static_cast<unsigned long>(s.rows) * s.cols, "PixelData size");
    int bad = 0;
    for (int y = 0; pixels && y < s.rows; ++y)
        for (int x = 0; x < s.cols; ++x)
            bad += decodeStored(pixels[y * s.cols + x], s.bitsStored, s.signedPixels) != voxel(x, y, z);
    expect(bad == 0, std::to_string(bad) + " wrong pixel values in " + path.string());
    return z;
}

/// Modality min/max as DCMTK's image toolkit sees it (checks the bits/sign handling).
void checkWithDicomImage(const fs::path& path, double lo, double hi)
{
    DicomImage image(path.c_str());
    double mn = 0, mx = 0;
    const bool ok = image.getStatus() == EIS_Normal && image.getMinMaxValues(mn, mx) && std::abs(mn - lo) < 1e-6 &&
                    std::abs(mx - hi) < 1e-6;
    expect(ok, "DicomImage modality range " + std::to_string(mn) + ".." + std::to_string(mx) + " expected " +
                   std::to_string(lo) + ".." + std::to_string(hi));
}

void runCase(const std::string& name, const dt::SeriesSpec& s, const fs::path& root)
{
    std::printf("%s\n", name.c_str());
    const int before = failures;
    const auto voxel = pattern(s);
    const auto w = dt::writeSeries(s, voxel, root / name);
    std::set<int> zs, instances;
    std::set<std::string> sops;
    bool namesFollowZ = true;
    for (std::size_t i = 0; i < w.files.size(); ++i) {
        const int z = checkFile(w.files[i], s, voxel, w);
        expect(z == w.sliceIndices[i], "position of " + w.files[i].string());
        zs.insert(z);
        DcmFileFormat f;
        f.loadFile(OFFilename(w.files[i].c_str()));
        instances.insert(std::stoi(getString(*f.getDataset(), DCM_InstanceNumber)));
        sops.insert(getString(*f.getDataset(), DCM_SOPInstanceUID));
        namesFollowZ = namesFollowZ && (i == 0 || w.files[i - 1] < w.files[i]);
    }
    const std::size_t n = static_cast<std::size_t>(s.slices) - s.skipSlices.size();
    expect(w.files.size() == n && zs.size() == n && sops.size() == n && instances.size() == n, "file/UID counts");
    for (int z : s.skipSlices) expect(!zs.count(z), "skipped slice " + std::to_string(z) + " was written");
    expect(namesFollowZ != s.shuffleFileNames, "file name order vs shuffleFileNames");
    const double slope = s.rescaleSlope, icpt = s.rescaleIntercept;
    const int lo = s.signedPixels ? -(1 << (s.bitsStored - 1)) : 0;
    const int hi = s.signedPixels ? (1 << (s.bitsStored - 1)) - 1 : (1 << s.bitsStored) - 1;
    checkWithDicomImage(w.files[0], std::min(lo * slope, hi * slope) + icpt, std::max(lo * slope, hi * slope) + icpt);
    std::printf("  %s (%zu files)\n", failures == before ? "ok" : "FAILED", w.files.size());
}

dt::SeriesSpec baseSpec()
{
    dt::SeriesSpec s;
    s.rows = 24;
    s.cols = 32;
    s.slices = 6;
    s.origin = {-10.5, 20.25, -30};
    s.rowSpacing = 0.7;
    s.colSpacing = 0.9;
    s.sliceSpacing = 2.5;
    s.signedPixels = true;
    s.patientId = "SELFTEST";
    s.bodyPartExamined = "HEAD";
    return s;
}

} // namespace

constexpr double kObliqueRadians = 30 * M_PI / 180; // the oblique case: rotated 30 degrees about x

/// Writes and reads back every transfer syntax, sign, bit depth, rescale and geometry case.
void runSeriesCases(const fs::path& root)
{
    dt::SeriesSpec s = baseSpec();
    runCase("le_explicit_int16", s, root);
    s.transfer = EXS_LittleEndianImplicit;
    runCase("le_implicit_int16", s, root);
    s.transfer = EXS_BigEndianExplicit;
    runCase("be_explicit_int16", s, root);
    s.transfer = EXS_DeflatedLittleEndianExplicit;
    runCase("deflated_int16", s, root);

    s = baseSpec();
    s.signedPixels = false;
    s.bitsStored = 12;
    s.rescaleSlope = 1;
    s.rescaleIntercept = -1024;
    s.transfer = EXS_BigEndianExplicit;
    runCase("be_uint12_intercept", s, root);

    s = baseSpec();
    s.bitsStored = 12; // signed 12-bit: stored masked, sign bit 11
    s.rescaleSlope = 2; // integer: DicomImage rounds fractional modality values
    s.rescaleIntercept = 3;
    runCase("le_int12_slope", s, root);

    s = baseSpec();
    const double a = kObliqueRadians;
    s.orientation = {1, 0, 0, 0, std::cos(a), std::sin(a)};
    s.slices = 9;
    s.skipSlices = {3, 4};
    s.shuffleFileNames = true;
    s.sliceSpacing = -1.25;
    s.transfer = EXS_LittleEndianImplicit;
    runCase("oblique30_shuffled_gaps", s, root);

    s = baseSpec();
    s.modality = "MR";
    s.signedPixels = false;
    s.transfer = EXS_BigEndianExplicit;
    runCase("mr_uint16", s, root);

}

/// voxelToPatient against its definition, and out-of-range values refused before anything is written.
void checkGeometryAndRefusal(const fs::path& root)
{
    dt::SeriesSpec s = baseSpec();
    const double a = kObliqueRadians;
    // voxelToPatient agrees with the definition on the oblique spec.
    s.orientation = {1, 0, 0, 0, std::cos(a), std::sin(a)};
    const auto p = dt::voxelToPatient(s, 2, 3, 4);
    const auto n = dt::sliceNormal(s);
    expect(std::abs(n[1] + std::sin(a)) < 1e-12 && std::abs(n[2] - std::cos(a)) < 1e-12, "normal of the oblique spec");
    expect(std::abs(p[0] - (s.origin[0] + 2 * 0.9)) < 1e-9 &&
               std::abs(p[1] - (s.origin[1] + 3 * 0.7 * std::cos(a) + 4 * 2.5 * n[1])) < 1e-9 &&
               std::abs(p[2] - (s.origin[2] + 3 * 0.7 * std::sin(a) + 4 * 2.5 * n[2])) < 1e-9,
           "voxelToPatient");

    // Out-of-range values are refused before anything is written.
    s = baseSpec();
    s.bitsStored = 12;
    bool threw = false;
    try {
        dt::writeSeries(s, [](int, int, int) { return 2048; }, root / "refused");
    } catch (const std::invalid_argument&) {
        threw = true;
    }
    expect(threw && !fs::exists(root / "refused"), "out-of-range value refused, nothing written");

}

int main(int argc, char** argv)
{
    const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "attnscope-dicom-selftest";
    fs::remove_all(root);
    runSeriesCases(root);
    checkGeometryAndRefusal(root);
    std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
