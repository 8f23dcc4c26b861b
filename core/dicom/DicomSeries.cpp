#include "dicom/DicomSeries.h"

#include "dicom/DicomDir.h"
#include "dicom/DicomFile.h"
#include "io/BinaryFile.h"

#include "util/Error.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace attn {
namespace {

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

std::string mm(double v)
{
    std::ostringstream s;
    s.precision(4);
    s << v << " mm";
    return s.str();
}

/// A slice of the stack: one frame of one file, at a position along the normal.
struct Slice {
    const DicomHeader* file = nullptr;
    int frame = 0;
    Eigen::Vector3d position;
    double key = 0.0;
};


/// Every slice of the series with its position; checks one orientation and one image size.
std::vector<Slice> collectSlices(const DicomSeriesInfo& series, std::array<double, 6>& orientation,
                                 std::vector<std::string>& warnings)
{
    const DicomHeader& first = series.files.front();
    orientation = first.orientation.value_or(std::array<double, 6>{1, 0, 0, 0, 1, 0});
    if (!first.orientation)
        warnings.push_back(first.path + ": no ImageOrientationPatient; axial orientation assumed");
    const Eigen::Vector3d normal = orientationAxes(orientation).normal;
    std::vector<Slice> slices;
    for (const DicomHeader& h : series.files) {
        if (h.rows != first.rows || h.columns != first.columns)
            throw DicomError(h.path + ": image size " + std::to_string(h.columns) + " x " + std::to_string(h.rows)
                             + " differs from " + std::to_string(first.columns) + " x " + std::to_string(first.rows)
                             + " of " + fileName(first.path) + " in the same series");
        if (h.orientation) {
            const auto& o = *h.orientation;
            for (std::size_t i = 0; i < 6; ++i)
                if (std::abs(o[i] - orientation[i]) > 1e-3)
                    throw DicomError(h.path + ": ImageOrientationPatient differs from " + fileName(first.path)
                                     + "'s: the series is not one stack of parallel slices");
        }
        const double step = h.spacingBetweenSlices > 0 ? h.spacingBetweenSlices : h.sliceThickness > 0 ? h.sliceThickness : 1.0;
        for (int f = 0; f < h.frames; ++f) {
            Slice s{&h, f, Eigen::Vector3d::Zero(), 0.0};
            if (!h.framePositions.empty())
                s.position = h.framePositions[static_cast<std::size_t>(f)];
            else if (h.position)
                s.position = *h.position + normal * (step * f);
            else
                s.position = normal * static_cast<double>(slices.size()); // no geometry at all
            s.key = normal.dot(s.position);
            slices.push_back(s);
        }
        if (!h.position && h.framePositions.empty())
            warnings.push_back(h.path + ": no ImagePositionPatient; slices placed 1 mm apart in file order");
    }
    std::stable_sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.key < b.key; });
    return slices;
}

/// Drops slices at the same position as the one before (keeps the first), with warnings.
void dropDuplicates(std::vector<Slice>& slices, std::vector<std::string>& warnings)
{
    std::vector<Slice> kept;
    for (const Slice& s : slices) {
        if (!kept.empty() && std::abs(s.key - kept.back().key) < 1e-3) {
            warnings.push_back(s.file->path + ": same slice position as " + fileName(kept.back().file->path) + "; skipped");
            continue;
        }
        kept.push_back(s);
    }
    slices.swap(kept);
}

/// The median distance between consecutive slices; warns about gaps and non-uniform steps.
double sliceSpacing(const std::vector<Slice>& slices, std::vector<std::string>& warnings)
{
    if (slices.size() < 2) {
        const DicomHeader& h = *slices.front().file;
        return h.spacingBetweenSlices > 0 ? h.spacingBetweenSlices : h.sliceThickness > 0 ? h.sliceThickness : 1.0;
    }
    std::vector<double> steps;
    for (std::size_t i = 1; i < slices.size(); ++i)
        steps.push_back(slices[i].key - slices[i - 1].key);
    std::vector<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    bool uniform = true;
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (std::abs(steps[i] - median) > std::max(kSliceSpacingTolerance * median, kSliceSpacingToleranceMm)) {
            uniform = false;
            warnings.push_back(slices[i + 1].file->path + ": " + mm(steps[i]) + " after " + fileName(slices[i].file->path)
                               + " where the series' spacing is " + mm(median)
                               + (steps[i] > median ? " (a gap: slices are missing)" : " (non-uniform spacing)")
                               + "; the volume uses " + mm(median));
        }
    // Uniform: the mean step, which averages out positions written rounded (often to 0.1 mm).
    return uniform ? (slices.back().key - slices.front().key) / static_cast<double>(slices.size() - 1) : median;
}

VolumeGeometry geometryOf(const std::vector<Slice>& slices, const std::array<double, 6>& orientation, double spacing,
                          std::vector<std::string>& warnings)
{
    const DicomHeader& first = *slices.front().file;
    VolumeGeometry g;
    g.size = {first.columns, first.rows, static_cast<int>(slices.size())};
    g.origin = slices.front().position;
    const OrientationAxes axes = orientationAxes(orientation);
    g.direction.col(0) = axes.row;
    g.direction.col(1) = axes.column;
    g.direction.col(2) = axes.row.cross(axes.column);
    const auto ps = first.pixelSpacing.value_or(std::array<double, 2>{1.0, 1.0});
    if (!first.pixelSpacing)
        warnings.push_back(first.path + ": no PixelSpacing; 1 mm assumed");
    g.spacing = Eigen::Vector3d(ps[1], ps[0], spacing); // PixelSpacing is [between rows (y), between columns (x)]
    return g;
}

} // namespace

namespace {

/// Every regular file below `folder` except DICOMDIRs (at any depth), sorted.
std::vector<std::filesystem::path> filesBelow(const std::filesystem::path& folder)
{
    std::error_code ec;
    std::vector<std::filesystem::path> paths;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec); !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && !isDicomDirName(it->path()))
            paths.push_back(it->path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

/// The files to read: those the folder's DICOMDIR lists when it has a readable one (its missing
/// references and the files it leaves out reported), else every file below the folder.
std::vector<std::filesystem::path> filesToRead(const std::filesystem::path& folder, DicomScan& scan)
{
    std::vector<std::filesystem::path> all = filesBelow(folder);
    const auto dicomDir = findDicomDir(folder);
    if (!dicomDir)
        return all;
    try {
        DicomDirFiles listed = readDicomDir(*dicomDir);
        if (listed.files.empty()) { // stale or empty: the images are still in the folder
            scan.skipped.push_back(dicomDir->string() + ": lists no file that exists; the folder was scanned instead");
            return all;
        }
        scan.dicomDir = *dicomDir;
        scan.skipped.insert(scan.skipped.end(), listed.missing.begin(), listed.missing.end());
        std::set<std::filesystem::path> referenced(listed.files.begin(), listed.files.end());
        const auto unlisted = std::count_if(all.begin(), all.end(), [&](const std::filesystem::path& f) { return !referenced.count(f); });
        if (unlisted > 0)
            scan.skipped.push_back(dicomDir->string() + ": " + std::to_string(unlisted)
                                   + " file(s) in the folder are not listed in it and were not read");
        return listed.files;
    } catch (const DicomError& e) {
        scan.skipped.push_back(std::string(e.what()) + "; the folder was scanned instead");
        return all;
    }
}

} // namespace

bool plainlyNotDicom(const std::filesystem::path& path)
{
    const std::string head = readFileHead(path, 512);
    if (hasDicomPreamble(head))
        return false;
    for (const char* magic : {"\x89PNG", "\xff\xd8\xff", "GIF8", "%PDF"})
        if (head.rfind(magic, 0) == 0)
            return true;
    return !head.empty() && head.find('\0') == std::string::npos;
}

DicomScan scanDicomFolder(const std::filesystem::path& folder, Progress* progress)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        throw IoError(folder.string() + ": not a folder");
    DicomScan scan;
    const std::vector<std::filesystem::path> paths = filesToRead(folder, scan);
    Progress none;
    Progress& p = progress ? *progress : none;
    std::map<std::string, DicomSeriesInfo> byUid;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        p.step(static_cast<long>(i), static_cast<long>(paths.size()), "reading headers");
        if (plainlyNotDicom(paths[i])) {
            ++scan.plainFiles;
            continue;
        }
        DicomHeader h;
        try {
            h = readDicomHeader(paths[i]);
        } catch (const DicomError& e) {
            scan.skipped.push_back(e.what());
            continue;
        }
        if (!h.hasPixels) {
            scan.skipped.push_back(h.path + ": no pixel data");
            continue;
        }
        if (isSegmentation(h)) {
            scan.skipped.push_back(h.path + ": a segmentation (DICOM SEG), not an image series: load it as a reference on the study");
            continue;
        }
        DicomSeriesInfo& s = byUid[h.seriesUid.empty() ? "(no SeriesInstanceUID) " + h.path : h.seriesUid];
        if (s.files.empty()) {
            s.uid = h.seriesUid;
            s.patientName = h.patientName;
            s.studyDate = h.studyDate;
            s.modality = h.modality;
            s.description = h.seriesDescription;
            s.rows = h.rows;
            s.columns = h.columns;
        }
        s.images += h.frames;
        s.files.push_back(std::move(h));
    }
    for (auto& [uid, s] : byUid)
        scan.series.push_back(std::move(s));
    std::stable_sort(scan.series.begin(), scan.series.end(),
                     [](const DicomSeriesInfo& a, const DicomSeriesInfo& b) { return a.images > b.images; });
    return scan;
}

DicomVolume loadDicomSeries(const DicomSeriesInfo& series, Progress* progress)
{
    if (series.files.empty())
        throw DicomError("series " + series.uid + ": no image files");
    DicomVolume out;
    std::array<double, 6> orientation{};
    std::vector<Slice> slices = collectSlices(series, orientation, out.warnings);
    dropDuplicates(slices, out.warnings);
    // Decode every file once; a file that cannot be decoded is skipped with a warning.
    Progress none;
    Progress& p = progress ? *progress : none;
    std::map<const DicomHeader*, std::vector<float>> pixels;
    std::vector<Slice> decoded;
    std::string firstDecodeError;
    for (std::size_t i = 0; i < slices.size(); ++i) {
        p.step(static_cast<long>(i), static_cast<long>(slices.size()), "decoding slices");
        const DicomHeader* f = slices[i].file;
        if (!pixels.count(f)) {
            try {
                pixels[f] = readDicomPixels(*f);
            } catch (const DicomError& e) {
                out.warnings.push_back(std::string(e.what()) + "; skipped");
                firstDecodeError = firstDecodeError.empty() ? e.what() : firstDecodeError;
                pixels[f] = {};
            }
        }
        if (!pixels[f].empty())
            decoded.push_back(slices[i]);
    }
    if (decoded.empty()) // the first file's own message says why
        throw DicomError(firstDecodeError + (series.files.size() > 1 ? " (and no other slice of the series could be decoded)" : ""));
    const double spacing = sliceSpacing(decoded, out.warnings);
    out.volume.geometry = geometryOf(decoded, orientation, spacing, out.warnings);
    const std::size_t plane = static_cast<std::size_t>(series.files.front().rows) * static_cast<std::size_t>(series.files.front().columns);
    out.volume.values.resize(plane * decoded.size());
    for (std::size_t z = 0; z < decoded.size(); ++z) {
        const std::vector<float>& v = pixels[decoded[z].file];
        std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(plane * static_cast<std::size_t>(decoded[z].frame)), plane,
                    out.volume.values.begin() + static_cast<std::ptrdiff_t>(plane * z));
        out.sliceFiles.push_back(decoded[z].file->path);
    }
    p.report(static_cast<long>(slices.size()), static_cast<long>(slices.size()), "done");
    return out;
}

} // namespace attn
