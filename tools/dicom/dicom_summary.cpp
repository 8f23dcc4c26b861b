/// @file dicom_summary.cpp
/// attnscope-dicom-summary DIR [--dump]: loads every file in DIR with DCMTK, sorts the
/// slices along the normal of ImageOrientationPatient and prints one line per slice, the
/// position steps, the modality value range and the UIDs; --dump also prints the first
/// file's header. Exit status 1 if a file does not load or the series is inconsistent.

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// What the summary needs from one file.
struct Slice {
    fs::path path;
    std::array<double, 3> ipp{};
    std::array<double, 6> iop{};
    double along = 0;
    long instance = 0;
    double minValue = 0, maxValue = 0;
    std::string series, study, frame, sop, xfer;
};

std::string str(DcmItem& ds, const DcmTagKey& tag)
{
    OFString v;
    return ds.findAndGetOFStringArray(tag, v).good() ? std::string(v.c_str()) : std::string("<missing>");
}

double num(DcmItem& ds, const DcmTagKey& tag, int i)
{
    Float64 v = NAN;
    ds.findAndGetFloat64(tag, v, i);
    return v;
}

/// Modality value range of the slice (stored values sign-extended from BitsStored).
void valueRange(DcmItem& ds, Slice& s)
{
    Uint16 bits = 16, rep = 0;
    ds.findAndGetUint16(DCM_BitsStored, bits);
    ds.findAndGetUint16(DCM_PixelRepresentation, rep);
    const double slope = std::isnan(num(ds, DCM_RescaleSlope, 0)) ? 1 : num(ds, DCM_RescaleSlope, 0);
    const double icpt = std::isnan(num(ds, DCM_RescaleIntercept, 0)) ? 0 : num(ds, DCM_RescaleIntercept, 0);
    const Uint16* px = nullptr;
    unsigned long n = 0;
    if (ds.findAndGetUint16Array(DCM_PixelData, px, &n).bad() || n == 0) throw std::runtime_error("no pixel data");
    int lo = 1 << 30, hi = -(1 << 30);
    for (unsigned long i = 0; i < n; ++i) {
        int v = px[i] & (bits == 16 ? 0xFFFF : (1 << bits) - 1);
        if (rep == 1 && (v & (1 << (bits - 1)))) v -= 1 << bits;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    s.minValue = std::min(lo * slope, hi * slope) + icpt;
    s.maxValue = std::max(lo * slope, hi * slope) + icpt;
}

Slice load(const fs::path& path, bool dump)
{
    DcmFileFormat file;
    const OFCondition c = file.loadFile(OFFilename(path.c_str()));
    if (c.bad()) throw std::runtime_error(path.string() + ": " + c.text());
    DcmDataset& ds = *file.getDataset();
    if (dump) file.print(std::cout, DCMTypes::PF_shortenLongTagValues);
    Slice s;
    s.path = path;
    for (int i = 0; i < 3; ++i) s.ipp[i] = num(ds, DCM_ImagePositionPatient, i);
    for (int i = 0; i < 6; ++i) s.iop[i] = num(ds, DCM_ImageOrientationPatient, i);
    const std::array<double, 3> n{s.iop[1] * s.iop[5] - s.iop[2] * s.iop[4], s.iop[2] * s.iop[3] - s.iop[0] * s.iop[5],
                                  s.iop[0] * s.iop[4] - s.iop[1] * s.iop[3]};
    s.along = s.ipp[0] * n[0] + s.ipp[1] * n[1] + s.ipp[2] * n[2];
    s.instance = std::stol(str(ds, DCM_InstanceNumber));
    s.series = str(ds, DCM_SeriesInstanceUID);
    s.study = str(ds, DCM_StudyInstanceUID);
    s.frame = str(ds, DCM_FrameOfReferenceUID);
    s.sop = str(ds, DCM_SOPInstanceUID);
    s.xfer = DcmXfer(ds.getOriginalXfer()).getXferName();
    valueRange(ds, s);
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: attnscope-dicom-summary DIR [--dump]\n";
        return 2;
    }
    const bool dump = argc > 2 && std::string(argv[2]) == "--dump";
    try {
        std::vector<Slice> slices;
        std::vector<fs::path> paths;
        for (const auto& e : fs::directory_iterator(argv[1]))
            if (e.is_regular_file() && e.path().extension() == ".dcm") paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& p : paths) slices.push_back(load(p, dump && slices.empty()));
        if (slices.empty()) throw std::runtime_error("no .dcm files");
        std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.along < b.along; });
        std::set<std::string> series, studies, frames, sops, xfers, iops;
        double lo = 1e300, hi = -1e300, stepMin = 1e300, stepMax = -1e300;
        for (std::size_t i = 0; i < slices.size(); ++i) {
            const Slice& s = slices[i];
            std::printf("%s  inst %4ld  IPP %10.4f %10.4f %10.4f  values %g..%g\n", s.path.filename().c_str(), s.instance,
                        s.ipp[0], s.ipp[1], s.ipp[2], s.minValue, s.maxValue);
            series.insert(s.series), studies.insert(s.study), frames.insert(s.frame), sops.insert(s.sop);
            xfers.insert(s.xfer);
            char buf[128];
            std::snprintf(buf, sizeof buf, "%g %g %g %g %g %g", s.iop[0], s.iop[1], s.iop[2], s.iop[3], s.iop[4], s.iop[5]);
            iops.insert(buf);
            lo = std::min(lo, s.minValue), hi = std::max(hi, s.maxValue);
            if (i) {
                const double step = std::hypot(s.ipp[0] - slices[i - 1].ipp[0], s.ipp[1] - slices[i - 1].ipp[1],
                                               s.ipp[2] - slices[i - 1].ipp[2]);
                stepMin = std::min(stepMin, step), stepMax = std::max(stepMax, step);
            }
        }
        std::printf("files %zu, IPP step %g..%g mm, values %g..%g, transfer %s, IOP %s\n", slices.size(), stepMin,
                    stepMax, lo, hi, xfers.begin()->c_str(), iops.begin()->c_str());
        std::printf("series %s\nstudy  %s\nframe  %s\n", series.begin()->c_str(), studies.begin()->c_str(),
                    frames.begin()->c_str());
        const bool consistent = series.size() == 1 && studies.size() == 1 && frames.size() == 1 && iops.size() == 1 &&
                                sops.size() == slices.size();
        if (!consistent) std::printf("INCONSISTENT: UIDs or orientation differ between files\n");
        return consistent ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "attnscope-dicom-summary: " << e.what() << "\n";
        return 1;
    }
}
