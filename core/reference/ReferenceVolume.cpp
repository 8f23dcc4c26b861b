#include "reference/ReferenceVolume.h"

#include "dicom/DicomSegmentation.h"
#include "dicom/DicomSeries.h"
#include "io/Nifti.h"
#include "volume/Resample.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace attn {
namespace {

bool isNiftiName(const std::filesystem::path& path)
{
    const std::string name = path.filename().string();
    const auto endsWith = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return endsWith(".nii") || endsWith(".nii.gz");
}

/// The labels of a label map (its integer values above 0, at most 255 of them); empty when
/// it has other values (a scalar map).
std::set<int> labelsOf(const Volume& v)
{
    std::set<int> labels;
    for (const float value : v.values) {
        if (value == 0.0f)
            continue;
        if (value < 0 || value > 65535 || value != std::floor(value))
            return {};
        if (labels.size() == 255 && !labels.count(static_cast<int>(value)))
            return {}; // more than 255 labels: a map of values, not of labels
        labels.insert(static_cast<int>(value));
    }
    return labels;
}

ReferenceVolume readNiftiReference(const std::filesystem::path& path, int segment)
{
    ReferenceVolume r;
    r.path = path.string();
    r.volume = readNifti(path);
    const std::set<int> labels = labelsOf(r.volume);
    if (labels.empty()) {
        r.label = "map";
        return r;
    }
    for (const int l : labels)
        r.segments.push_back({l, "label " + std::to_string(l)});
    r.segment = segment == 0 ? *labels.begin() : segment;
    check<FormatError>(labels.count(r.segment) > 0, r.path + ": has no label " + std::to_string(segment) + " (its labels run "
                                                        + std::to_string(*labels.begin()) + " to " + std::to_string(*labels.rbegin()) + ")");
    for (float& value : r.volume.values)
        value = value == static_cast<float>(r.segment) ? 1.0f : 0.0f;
    r.isMask = true;
    r.label = "label " + std::to_string(r.segment);
    return r;
}

ReferenceVolume readDicomReference(const std::filesystem::path& path, int segment)
{
    const DicomHeader h = readDicomHeader(path);
    ReferenceVolume r;
    r.path = path.string();
    r.frameOfReferenceUid = h.frameOfReferenceUid;
    if (isSegmentation(h)) {
        SegmentMask s = readSegmentMask(h, segment);
        r.segments = h.segments;
        r.segment = s.segment.number;
        r.referencedSeriesUid = h.referencedSeriesUid;
        r.label = "segment " + std::to_string(s.segment.number) + (s.segment.label.empty() ? "" : " (" + s.segment.label + ")");
        r.isMask = true;
        r.volume = std::move(s.mask);
        return r;
    }
    check<DicomError>(h.hasPixels, r.path + ": has no pixel data");
    DicomSeriesInfo one;
    one.uid = h.seriesUid;
    one.rows = h.rows;
    one.columns = h.columns;
    one.images = h.frames;
    one.files.push_back(h);
    r.volume = loadDicomSeries(one).volume;
    r.units = h.units;
    r.label = (h.modality == "RTDOSE" ? std::string("RT dose") : h.modality.empty() ? std::string("image") : h.modality)
        + (h.units.empty() ? "" : " (" + h.units + ")");
    return r;
}

} // namespace

ReferenceVolume readReferenceVolume(const std::filesystem::path& path, int segment)
{
    std::error_code ec;
    check<IoError>(std::filesystem::is_regular_file(path, ec), path.string() + ": not a file");
    return isNiftiName(path) ? readNiftiReference(path, segment) : readDicomReference(path, segment);
}

std::vector<std::string> placementWarnings(const ReferenceVolume& r, const std::string& seriesUid,
                                           const std::string& frameOfReferenceUid, const VolumeGeometry& study)
{
    std::vector<std::string> out;
    if (!r.frameOfReferenceUid.empty() && !frameOfReferenceUid.empty() && r.frameOfReferenceUid != frameOfReferenceUid)
        out.push_back(r.path + ": its FrameOfReferenceUID differs from the study's: the two may not share a patient space");
    if (!r.referencedSeriesUid.empty() && !seriesUid.empty() && r.referencedSeriesUid != seriesUid)
        out.push_back(r.path + ": drawn on series " + r.referencedSeriesUid + ", not on the study shown");
    // Overlap: the reference's grid (to its outer voxel faces), mapped into the study's voxel
    // indices, as a bounding box against the study's extent.
    const VolumeGeometry& g = r.volume.geometry;
    Eigen::Vector3d low = Eigen::Vector3d::Constant(std::numeric_limits<double>::infinity()), high = -low;
    for (int corner = 0; corner < 8; ++corner) {
        Eigen::Vector3d index;
        for (int a = 0; a < 3; ++a)
            index(a) = ((corner >> a) & 1) ? g.size[static_cast<std::size_t>(a)] - 0.5 : -0.5;
        const Eigen::Vector3d inStudy = study.patientToIndex(g.indexToPatient(index));
        low = low.cwiseMin(inStudy);
        high = high.cwiseMax(inStudy);
    }
    bool overlaps = true;
    for (int a = 0; a < 3; ++a)
        overlaps = overlaps && high(a) >= -0.5 && low(a) <= study.size[static_cast<std::size_t>(a)] - 0.5;
    if (!overlaps)
        out.push_back(r.path + ": lies outside the study in patient space; nothing of it is shown");
    return out;
}

Volume referenceOnStudy(const ReferenceVolume& reference, const VolumeGeometry& study, const Progress* progress)
{
    return resampleOnto(reference.volume, study, 0.0f, progress);
}

} // namespace attn
