/// @file make_reference_files.cpp
/// attnscope-make-reference-files OUTDIR: writes the DICOM files the reference-volume tests
/// read (tests/data/dicom/written/), all with fixed UIDs so that the output is the same on
/// every run:
///   ct/           a 24 x 20 x 12 CT series (16-bit), the study the others are drawn on;
///   seg.dcm       a BINARY SEG on it: segment 1 "Ball" (a sphere), segment 2 "Box" (slices
///                 3 to 6 only: its frames are sparse);
///   rtdose.dcm    an RT dose on a coarser 10 x 8 x 6 grid inside the CT, 32-bit, in GY,
///                 dose = 2 + 0.01 x + 0.02 y + 0.03 z (patient mm) stored / DoseGridScaling;
///   ct_int32.dcm  an enhanced CT of signed 32-bit values beyond the 16-bit range;
///   float32.dcm, float64.dcm  Float / Double Float Pixel Data;
///   palette.dcm   one PALETTE COLOR slice (8-bit indices).
/// tools/make_dicom_expected.py then records pydicom's values for them.

#include "DerivedWriter.h"
#include "DicomWriter.h"

#include <cmath>
#include <filesystem>
#include <iostream>

namespace {

using namespace attn::dicomtools;

SeriesSpec ctSpec()
{
    SeriesSpec s;
    s.rows = 20;
    s.cols = 24;
    s.slices = 12;
    s.origin = {-20.0, -15.0, 40.0};
    s.rowSpacing = 1.25;
    s.colSpacing = 1.5;
    s.sliceSpacing = 2.5;
    s.signedPixels = true;
    s.rescaleIntercept = -1024;
    s.studyUid = "1.2.826.0.1.3680043.10.1082.7.1";
    s.seriesUid = "1.2.826.0.1.3680043.10.1082.7.2";
    s.frameOfReferenceUid = "1.2.826.0.1.3680043.10.1082.7.3";
    s.seriesDescription = "reference test CT";
    return s;
}

/// Patient position of a CT voxel centre.
std::array<double, 3> patient(const SeriesSpec& s, int x, int y, int z)
{
    return voxelToPatient(s, x, y, z);
}

double dose(const std::array<double, 3>& p)
{
    return 2.0 + 0.01 * p[0] + 0.02 * p[1] + 0.03 * p[2];
}

void writeDose(const SeriesSpec& ct, const std::filesystem::path& out)
{
    SeriesSpec grid = ct;
    grid.rows = 8;
    grid.cols = 10;
    grid.slices = 6;
    grid.origin = {-14.0, -9.0, 42.5};
    grid.rowSpacing = grid.colSpacing = 3.0;
    grid.sliceSpacing = 4.0;
    grid.seriesUid = "1.2.826.0.1.3680043.10.1082.7.5";
    grid.seriesDescription = "reference test dose";
    const double scaling = 1e-4;
    writeRtDose(grid, [&](int x, int y, int z) { return static_cast<int>(std::lround(dose(voxelToPatient(grid, x, y, z)) / scaling)); },
                scaling, out / "rtdose.dcm");
}

void writeValueImages(const SeriesSpec& ct, const std::filesystem::path& out)
{
    SeriesSpec wide = ct;
    wide.rows = 6;
    wide.cols = 7;
    wide.slices = 3;
    wide.bitsAllocated = wide.bitsStored = 32;
    wide.rescaleSlope = 0.01;
    wide.rescaleIntercept = -5;
    wide.seriesUid = "1.2.826.0.1.3680043.10.1082.7.6";
    writeEnhancedMultiFrame(wide, [](int x, int y, int z) { return (x - 3) * 40000 + y * 7 - z * 100003; }, out / "ct_int32.dcm");
    SeriesSpec floats = wide;
    floats.bitsAllocated = 16;
    floats.bitsStored = 16;
    floats.rescaleSlope = 1;
    floats.rescaleIntercept = 0;
    floats.modality = "MR";
    floats.seriesUid = "1.2.826.0.1.3680043.10.1082.7.7";
    const auto value = [](int x, int y, int z) { return 1000.0 * std::sin(0.7 * x + 0.3 * y) + 0.125 * z - 1.0 / 3.0; };
    writeFloatImage(floats, value, false, out / "float32.dcm");
    floats.seriesUid = "1.2.826.0.1.3680043.10.1082.7.8";
    writeFloatImage(floats, value, true, out / "float64.dcm");
}

void writePalette(const SeriesSpec& ct, const std::filesystem::path& out)
{
    SeriesSpec p = ct;
    p.slices = 1;
    p.signedPixels = false;
    p.bitsStored = 8;
    p.palette = true;
    p.rescaleIntercept = 0;
    p.modality = "MR";
    p.seriesUid = "1.2.826.0.1.3680043.10.1082.7.9";
    const std::filesystem::path scratch = out / "palette-scratch";
    const WrittenSeries w = writeSeries(p, [](int x, int y, int) { return (x * 11 + y * 5) % 256; }, scratch);
    std::filesystem::rename(w.files.front(), out / "palette.dcm");
    std::filesystem::remove_all(scratch);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: attnscope-make-reference-files OUTDIR\n";
        return 2;
    }
    try {
        const std::filesystem::path out = argv[1];
        std::filesystem::remove_all(out / "ct");
        const SeriesSpec ct = ctSpec();
        const auto ball = [&](int x, int y, int z) {
            const auto p = patient(ct, x, y, z);
            const double dx = p[0] + 5, dy = p[1] + 2, dz = p[2] - 52;
            return dx * dx + dy * dy + dz * dz <= 7.0 * 7.0;
        };
        const WrittenSeries series = writeSeries(ct, [&](int x, int y, int z) { return ball(x, y, z) ? 1064 : 1024 + (x + y + z) % 7; }, out / "ct");
        writeSegmentation(ct, series, {{"Ball", ball}, {"Box", [](int x, int y, int z) { return z >= 3 && z <= 6 && x >= 2 && x < 9 && y >= 4 && y < 12; }}},
                          out / "seg.dcm");
        writeDose(ct, out);
        writeValueImages(ct, out);
        writePalette(ct, out);
    } catch (const std::exception& e) {
        std::cerr << "attnscope-make-reference-files: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
