#pragma once
/// @file DicomWriterParts.h
/// The pieces DicomWriter.cpp and DerivedWriter.cpp share: DS formatting, UIDs, element
/// setters that throw with the tag's name, and the patient, study and series modules.
/// Internal to tools/dicom.

#include "DicomWriter.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <array>
#include <string>
#include <vector>

namespace attn::dicomtools::parts {

using Vec3 = std::array<double, 3>;

Vec3 cross(const Vec3& a, const Vec3& b);
double dot(const Vec3& a, const Vec3& b);
/// A DS value in at most 16 characters, with as many significant digits as fit.
std::string formatDs(double v);
std::string generateUid();
std::string uidOrGenerated(const std::string& uid);
/// seriesUid.(z+1) if it fits in a UI value, else a fresh UID.
std::string sopInstanceUid(const std::string& seriesUid, int z);
/// Throws std::runtime_error "DICOM writer: what: DCMTK's reason" when `cond` is bad.
void check(const OFCondition& cond, const std::string& what);
std::string tagName(const DcmTagKey& tag);
void putString(DcmItem& item, const DcmTagKey& tag, const std::string& value);
void putUint16(DcmItem& item, const DcmTagKey& tag, int value);

/// UIDs shared by every file of the series.
struct SeriesUids {
    std::string study, series, frame;
};

void putPatientAndStudy(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids);
void putSeriesAndEquipment(DcmItem& ds, const SeriesSpec& spec, const SeriesUids& uids);
/// Pixel measures into one functional-group item.
void putPixelMeasures(DcmItem& group, const SeriesSpec& spec);
/// Orientation and rescale (with `intercept`) into one functional-group item.
void putOrientationAndRescale(DcmItem& group, const SeriesSpec& spec, double intercept);
/// Slice indices to write, ascending.
std::vector<int> writtenSlices(const SeriesSpec& spec);
/// One slice's stored values as pixel-data words (two per pixel for 32 bits allocated);
/// throws std::invalid_argument when one does not fit the spec's bits.
std::vector<Uint16> sliceValues(const SeriesSpec& spec, const VoxelFunction& voxel, int z, int& minValue, int& maxValue);

/// Backslash-separated DS values.
template <std::size_t N> std::string formatDsList(const std::array<double, N>& values)
{
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i) out += '\\';
        out += formatDs(values[i]);
    }
    return out;
}

/// A sequence `seq` in `item` with one item holding what `fill` puts there.
template <class F>
void putSequenceItem(DcmItem& item, const DcmTagKey& seq, F&& fill)
{
    DcmItem* child = nullptr;
    check(item.findOrCreateSequenceItem(seq, child, -2), "cannot create " + tagName(seq));
    fill(*child);
}

} // namespace attn::dicomtools::parts
