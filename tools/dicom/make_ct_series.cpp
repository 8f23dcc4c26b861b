/// @file make_ct_series.cpp
/// attnscope-make-ct-series: writes a raw little-endian int16 volume (z, y, x order, HU)
/// as an axial CT series, optionally downsampled by block averaging, centred at patient
/// (0,0,0). Stored values are the HU themselves (int16, slope 1, intercept 0).

#include "DicomWriter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using attn::dicomtools::SeriesSpec;

constexpr const char* kUsage =
    "usage: attnscope-make-ct-series --raw FILE --size X,Y,Z --spacing SX,SY,SZ --out DIR\n"
    "         [--downsample N] [--flip-y] [--series-description TEXT] [--window CENTER,WIDTH]\n"
    "         [--patient-name NAME] [--patient-id ID] [--study-uid UID] [--series-uid UID]\n"
    "         [--frame-of-reference-uid UID] [--body-part NAME] [--dicomdir]\n"
    "Reads a raw little-endian int16 HU volume (x fastest, then y, then z) and writes it as an\n"
    "axial CT series (IMG0001.dcm ...) centred at patient (0,0,0). --downsample N averages\n"
    "N x N x N blocks (partial blocks at the end are dropped) and multiplies the spacing by N.\n"
    "--flip-y reverses the row order (for volumes stored bottom-up, as VTK does).\n"
    "--dicomdir also writes DIR/DICOMDIR listing the files (then named IM0001 ..., as DICOM media need).\n";

/// A volume of HU values, x fastest.
struct Volume {
    int nx = 0, ny = 0, nz = 0;
    double sx = 1, sy = 1, sz = 1;
    std::vector<std::int16_t> v;
    std::int16_t at(int x, int y, int z) const { return v[(static_cast<std::size_t>(z) * ny + y) * nx + x]; }
};

/// Command-line options after parsing.
struct Options {
    std::string raw, out, description = "Synthetic CT", patientName = "Anonymous^Synthetic", patientId;
    std::string studyUid, seriesUid, frameUid, bodyPart;
    int size[3] = {0, 0, 0};
    double spacing[3] = {0, 0, 0};
    int downsample = 1;
    bool flipY = false;
    bool dicomDir = false;
    bool hasWindow = false;
    double window[2] = {0, 0};
};

/// Splits "a,b,c" into exactly `n` numbers (integers if T is); throws on anything else.
template <typename T> void parseList(const std::string& text, T* out, int n, const char* what)
{
    std::vector<std::string> items;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) items.push_back(item);
    if (static_cast<int>(items.size()) != n) throw std::invalid_argument(std::string("bad ") + what + ": " + text);
    for (int i = 0; i < n; ++i) {
        std::size_t used = 0;
        double value = 0;
        try {
            value = std::stod(items[i], &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != items[i].size() || static_cast<double>(static_cast<T>(value)) != value)
            throw std::invalid_argument(std::string("bad ") + what + ": " + text);
        out[i] = static_cast<T>(value);
    }
}

Options parseArgs(int argc, char** argv)
{
    Options o;
    std::map<std::string, std::string*> strings{{"--raw", &o.raw},
                                                {"--out", &o.out},
                                                {"--series-description", &o.description},
                                                {"--patient-name", &o.patientName},
                                                {"--patient-id", &o.patientId},
                                                {"--study-uid", &o.studyUid},
                                                {"--series-uid", &o.seriesUid},
                                                {"--frame-of-reference-uid", &o.frameUid},
                                                {"--body-part", &o.bodyPart}};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") { std::cout << kUsage; std::exit(0); }
        if (arg == "--flip-y") { o.flipY = true; continue; }
        if (arg == "--dicomdir") { o.dicomDir = true; continue; }
        if (i + 1 >= argc) throw std::invalid_argument("missing value after " + arg);
        const std::string value = argv[++i];
        if (auto it = strings.find(arg); it != strings.end()) *it->second = value;
        else if (arg == "--size") parseList(value, o.size, 3, "--size");
        else if (arg == "--spacing") parseList(value, o.spacing, 3, "--spacing");
        else if (arg == "--downsample") parseList(value, &o.downsample, 1, "--downsample");
        else if (arg == "--window") { parseList(value, o.window, 2, "--window"); o.hasWindow = true; }
        else throw std::invalid_argument("unknown option " + arg);
    }
    if (o.raw.empty() || o.out.empty()) throw std::invalid_argument("--raw and --out are required");
    for (int a = 0; a < 3; ++a)
        if (o.size[a] < 1 || !(o.spacing[a] > 0)) throw std::invalid_argument("--size and --spacing are required, > 0");
    if (o.downsample < 1) throw std::invalid_argument("--downsample must be >= 1");
    return o;
}

/// Reads the raw file; its size must be exactly X*Y*Z*2 bytes.
Volume readRaw(const Options& o)
{
    Volume vol{o.size[0], o.size[1], o.size[2], o.spacing[0], o.spacing[1], o.spacing[2], {}};
    const std::size_t count = static_cast<std::size_t>(vol.nx) * vol.ny * vol.nz;
    std::ifstream in(o.raw, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + o.raw);
    std::vector<unsigned char> bytes(count * 2 + 1);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::size_t>(in.gcount()) != count * 2)
        throw std::runtime_error(o.raw + ": expected exactly " + std::to_string(count * 2) + " bytes");
    vol.v.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        vol.v[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
    return vol;
}

/// Mean of the n x n x n block at block index (bx, by, bz), rounded to nearest.
std::int16_t blockMean(const Volume& in, int n, int bx, int by, int bz)
{
    std::int64_t sum = 0;
    for (int z = bz * n; z < (bz + 1) * n; ++z)
        for (int y = by * n; y < (by + 1) * n; ++y)
            for (int x = bx * n; x < (bx + 1) * n; ++x) sum += in.at(x, y, z);
    return static_cast<std::int16_t>(std::lround(static_cast<double>(sum) / (n * n * n)));
}

/// Block-averaged volume (sizes divided by n, rounding down; spacing multiplied by n).
Volume downsample(const Volume& in, int n)
{
    if (n == 1) return in;
    Volume out{in.nx / n, in.ny / n, in.nz / n, in.sx * n, in.sy * n, in.sz * n, {}};
    if (out.nx < 1 || out.ny < 1 || out.nz < 1) throw std::invalid_argument("--downsample larger than the volume");
    if (in.nx % n || in.ny % n || in.nz % n)
        std::cerr << "warning: size not divisible by " << n << "; partial blocks dropped\n";
    out.v.resize(static_cast<std::size_t>(out.nx) * out.ny * out.nz);
    std::size_t i = 0;
    for (int z = 0; z < out.nz; ++z)
        for (int y = 0; y < out.ny; ++y)
            for (int x = 0; x < out.nx; ++x) out.v[i++] = blockMean(in, n, x, y, z);
    return out;
}

/// Axial CT spec for the volume, centred at patient (0,0,0).
SeriesSpec makeSpec(const Options& o, const Volume& vol)
{
    SeriesSpec s;
    s.cols = vol.nx;
    s.rows = vol.ny;
    s.slices = vol.nz;
    s.orientation = {1, 0, 0, 0, 1, 0};
    s.colSpacing = vol.sx;
    s.rowSpacing = vol.sy;
    s.sliceSpacing = vol.sz;
    s.origin = {-(vol.nx - 1) * vol.sx / 2, -(vol.ny - 1) * vol.sy / 2, -(vol.nz - 1) * vol.sz / 2};
    s.signedPixels = true;
    s.modality = "CT";
    s.seriesDescription = o.description;
    s.patientName = o.patientName;
    s.patientId = o.patientId;
    s.studyUid = o.studyUid;
    s.seriesUid = o.seriesUid;
    s.frameOfReferenceUid = o.frameUid;
    s.bodyPartExamined = o.bodyPart;
    if (o.hasWindow) {
        s.windowCenter = o.window[0];
        s.windowWidth = o.window[1];
    }
    return s;
}

int run(int argc, char** argv)
{
    const Options o = parseArgs(argc, argv);
    const Volume vol = downsample(readRaw(o), o.downsample);
    SeriesSpec spec = makeSpec(o, vol);
    if (o.dicomDir) { // a DICOMDIR names its files by IDs of at most 8 capitals and digits
        spec.fileStem = "IM";
        spec.fileExtension = "";
    }
    const auto voxel = [&](int x, int y, int z) { return int{vol.at(x, o.flipY ? vol.ny - 1 - y : y, z)}; };
    const auto written = attn::dicomtools::writeSeries(spec, voxel, o.out);
    if (o.dicomDir)
        attn::dicomtools::writeDicomDir(o.out, written.files);
    const auto [lo, hi] = std::minmax_element(vol.v.begin(), vol.v.end());
    std::printf("wrote %zu files to %s: %d x %d x %d, spacing %g x %g x %g mm, HU %d..%d\n", written.files.size(),
                o.out.c_str(), vol.nx, vol.ny, vol.nz, vol.sx, vol.sy, vol.sz, int{*lo}, int{*hi});
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "attnscope-make-ct-series: " << e.what() << "\n" << kUsage;
        return 2;
    }
}
