// What other tools drew or computed on a study, placed on it through patient space: DICOM SEG
// segments, RT dose grids, NIfTI label maps; and how an attention volume agrees with a mask.
// The written files come from tools/dicom (attnscope-make-reference-files); their values are
// checked against pydicom in TestDicom through expected.json.

#include "dicom/DicomSeries.h"
#include "dicom/DicomSegmentation.h"
#include "io/Nifti.h"
#include "reference/MaskAgreement.h"
#include "reference/ReferenceVolume.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <nifti1_io.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace attn;
using namespace attn::test;

namespace {

std::filesystem::path written()
{
    return dataDir() / "dicom" / "written";
}

/// The study the written reference files are drawn on.
const DicomVolume& study()
{
    static const DicomVolume v = loadDicomSeries(scanDicomFolder(written() / "ct").series.at(0));
    return v;
}

/// The same functions make_reference_files.cpp draws with, in patient mm.
bool inBall(const Eigen::Vector3d& p)
{
    return (p - Eigen::Vector3d(-5, -2, 52)).squaredNorm() <= 49.0;
}

double dose(const Eigen::Vector3d& p)
{
    return 2.0 + 0.01 * p.x() + 0.02 * p.y() + 0.03 * p.z();
}

Volume grid(std::array<int, 3> size, float value = 0.0f)
{
    Volume v;
    v.geometry.size = size;
    v.values.assign(v.geometry.voxels(), value);
    return v;
}

} // namespace

class TestReferenceVolume : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void segmentationSegmentsLandOnTheVoxelsTheyWereDrawnOn()
    {
        const VolumeGeometry& g = study().volume.geometry;
        const ReferenceVolume ball = readReferenceVolume(written() / "seg.dcm", 1);
        QVERIFY(ball.isMask);
        QCOMPARE(ball.label, std::string("segment 1 (Ball)"));
        QCOMPARE(ball.segments.size(), std::size_t{2});
        QCOMPARE(ball.segments[1].label, std::string("Box"));
        const Volume onStudy = referenceOnStudy(ball, g);
        int inside = 0;
        for (int z = 0; z < g.size[2]; ++z)
            for (int y = 0; y < g.size[1]; ++y)
                for (int x = 0; x < g.size[0]; ++x) {
                    const bool expected = inBall(g.indexToPatient(Eigen::Vector3d(x, y, z)));
                    inside += expected ? 1 : 0;
                    QCOMPARE(onStudy.at(x, y, z), expected ? 1.0f : 0.0f);
                }
        QVERIFY(inside > 100);
        QVERIFY(placementWarnings(ball, "1.2.826.0.1.3680043.10.1082.7.2", "1.2.826.0.1.3680043.10.1082.7.3", g).empty());
    }
    void sparseSegmentFramesStayOnTheirSlices()
    {
        const VolumeGeometry& g = study().volume.geometry;
        const Volume box = referenceOnStudy(readReferenceVolume(written() / "seg.dcm", 2), g);
        for (int z = 0; z < g.size[2]; ++z)
            for (int y = 0; y < g.size[1]; ++y)
                for (int x = 0; x < g.size[0]; ++x) {
                    const bool expected = z >= 3 && z <= 6 && x >= 2 && x < 9 && y >= 4 && y < 12;
                    QCOMPARE(box.at(x, y, z), expected ? 1.0f : 0.0f);
                }
    }
    void segmentationErrorsNameTheFileAndTheSegments()
    {
        const auto message = thrownMessage<DicomError>([] { readReferenceVolume(written() / "seg.dcm", 3); });
        QVERIFY(message);
        QVERIFY2(message->find("seg.dcm: has no segment 3; its segments are 1 (Ball), 2 (Box)") != std::string::npos, message->c_str());
        const auto notSeg = thrownMessage<DicomError>([] { readSegmentMask(readDicomHeader(written() / "rtdose.dcm")); });
        QVERIFY(notSeg && notSeg->find("rtdose.dcm: not a DICOM segmentation") != std::string::npos);
    }
    void realSegmentationReadsItsFrameOnItsPlane()
    {
        // pydicom's liver_1frame.dcm (3D Slicer): one frame kept of three per-frame items.
        const ReferenceVolume liver = readReferenceVolume(dataDir() / "dicom" / "pydicom" / "liver_1frame.dcm");
        QCOMPARE(liver.label, std::string("segment 1 (Liver)"));
        QCOMPARE(liver.volume.geometry.size, (std::array<int, 3>{512, 512, 1}));
        QVERIFY(std::abs(liver.volume.geometry.spacing.x() - 0.810547) < 1e-6);
        QVERIFY((liver.volume.geometry.origin - Eigen::Vector3d(-235.2, -226.8, -128.69)).norm() < 1e-6);
        const double sum = std::accumulate(liver.volume.values.begin(), liver.volume.values.end(), 0.0);
        const double pixels = 512.0 * 512.0;
        const double pydicomMean = nlohmann::json::parse(readText(dataDir() / "dicom" / "expected.json"))
                                       .at("pydicom/liver_1frame.dcm").at("mean").get<double>();
        QVERIFY(std::abs(sum - pydicomMean * pixels) < 0.5);
        QCOMPARE(liver.referencedSeriesUid, std::string("1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1"));
    }
    void doseIsPlacedThroughPatientSpaceInGray()
    {
        const ReferenceVolume d = readReferenceVolume(written() / "rtdose.dcm");
        QVERIFY(!d.isMask);
        QCOMPARE(d.units, std::string("GY"));
        QCOMPARE(d.label, std::string("RT dose (GY)"));
        QCOMPARE(d.volume.geometry.size, (std::array<int, 3>{10, 8, 6}));
        QVERIFY(std::abs(d.volume.geometry.spacing.z() - 4.0) < 1e-9);
        const VolumeGeometry& g = study().volume.geometry;
        const Volume onStudy = referenceOnStudy(d, g);
        int checked = 0;
        for (int z = 0; z < g.size[2]; ++z)
            for (int y = 0; y < g.size[1]; ++y)
                for (int x = 0; x < g.size[0]; ++x) {
                    const Eigen::Vector3d p = g.indexToPatient(Eigen::Vector3d(x, y, z));
                    const Eigen::Vector3d i = d.volume.geometry.patientToIndex(p);
                    const bool within = (i.array() >= 0).all()
                        && (i.array() <= Eigen::Vector3d(9, 7, 5).array()).all();
                    if (!within)
                        continue;
                    ++checked; // the dose is linear, so trilinear sampling is exact up to the stored rounding
                    QVERIFY2(std::abs(onStudy.at(x, y, z) - dose(p)) < 1e-4, qPrintable(QString::number(onStudy.at(x, y, z))));
                }
        QVERIFY(checked > 500);
    }
    void realDoseFramesFollowTheGridFrameOffsets()
    {
        for (const char* name : {"rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm"}) {
            const ReferenceVolume d = readReferenceVolume(dataDir() / "dicom" / "pydicom" / name);
            QCOMPARE(d.units, std::string("RELATIVE"));
            QCOMPARE(d.volume.geometry.size, (std::array<int, 3>{10, 10, 15}));
            QVERIFY(std::abs(d.volume.geometry.spacing.z() - 5.0) < 1e-9);
            QVERIFY((d.volume.geometry.origin - Eigen::Vector3d(189.43125, 199.43125, -761.87)).norm() < 1e-6);
            const auto [lo, hi] = std::minmax_element(d.volume.values.begin(), d.volume.values.end());
            QVERIFY2(std::abs(*lo - 0.795f) < 1e-6f && std::abs(*hi - 1.254f) < 1e-6f, name);
        }
    }
    void anotherFrameOfReferenceIsWarnedAbout()
    {
        const ReferenceVolume ball = readReferenceVolume(written() / "seg.dcm", 1);
        const auto w = placementWarnings(ball, "9.9.9", "1.2.3.4", study().volume.geometry);
        QCOMPARE(w.size(), std::size_t{2});
        QVERIFY(w[0].find("seg.dcm: its FrameOfReferenceUID differs") != std::string::npos);
        QVERIFY(w[1].find("drawn on series 1.2.826.0.1.3680043.10.1082.7.2") != std::string::npos);
        VolumeGeometry far = study().volume.geometry;
        far.origin += Eigen::Vector3d(0, 0, 1000);
        const auto outside = placementWarnings(ball, "", "", far);
        QVERIFY(outside.size() == 1 && outside[0].find("lies outside the study") != std::string::npos);
        // Found in review: a reference that shares only an end of the study (no corner of either
        // inside the other) was reported as outside it.
        const ReferenceVolume dose = readReferenceVolume(written() / "rtdose.dcm");
        VolumeGeometry end = dose.volume.geometry; // a study as wide as the dose, overlapping its last slice only
        end.size = {4, 4, 40};
        end.spacing = Eigen::Vector3d(30, 24, 2.5); // wider than the dose in x and y
        end.origin = dose.volume.geometry.indexToPatient(Eigen::Vector3d(-5, -5, 5)) - Eigen::Vector3d(0, 0, 0);
        QVERIFY(placementWarnings(dose, "", "", end).empty());
    }
    void segmentationsAreNotOfferedAsStudies()
    {
        const DicomScan scan = scanDicomFolder(written());
        for (const DicomSeriesInfo& s : scan.series)
            QVERIFY(s.modality != "SEG");
        QVERIFY(std::any_of(scan.skipped.begin(), scan.skipped.end(),
                            [](const std::string& s) { return s.find("seg.dcm: a segmentation") != std::string::npos; }));
    }
    void niftiLabelMapsGiveOneLabelAsAMask()
    {
        Volume labels = grid({4, 3, 2});
        labels.values[1] = 2;
        labels.values[5] = 1;
        labels.values[7] = 2;
        const auto path = std::filesystem::path(tmp_.path().toStdString()) / "labels.nii.gz";
        writeNifti(path, labels);
        const ReferenceVolume first = readReferenceVolume(path);
        QCOMPARE(first.segments.size(), std::size_t{2});
        QCOMPARE(first.segment, 1);
        QCOMPARE(std::accumulate(first.volume.values.begin(), first.volume.values.end(), 0.0f), 1.0f);
        const ReferenceVolume two = readReferenceVolume(path, 2);
        QCOMPARE(two.volume.values[1], 1.0f);
        QCOMPARE(two.volume.values[7], 1.0f);
        QCOMPARE(two.volume.values[5], 0.0f);
        const auto missing = thrownMessage<FormatError>([&] { readReferenceVolume(path, 3); });
        QVERIFY(missing && missing->find("labels.nii.gz: has no label 3 (its labels run 1 to 2)") != std::string::npos);
    }
    void niftiOfIntegerTypesReadsAsFloat()
    {
        // A uint8 label map, as 3D Slicer and ITK-SNAP save them, written with nifticlib itself.
        const auto path = std::filesystem::path(tmp_.path().toStdString()) / "uint8.nii";
        int dims[8] = {3, 3, 2, 2, 1, 1, 1, 1};
        nifti_image* image = nifti_make_new_nim(dims, NIFTI_TYPE_UINT8, 1);
        auto* data = static_cast<unsigned char*>(image->data);
        for (int i = 0; i < 12; ++i)
            data[i] = static_cast<unsigned char>(i % 3 == 0 ? 0 : 200 + i);
        image->scl_slope = 0; // no scaling
        QCOMPARE(nifti_set_filenames(image, path.c_str(), 0, 1), 0);
        nifti_image_write(image);
        nifti_image_free(image);
        const Volume v = readNifti(path);
        QCOMPARE(v.values.size(), std::size_t{12});
        QCOMPARE(v.values[0], 0.0f);
        QCOMPARE(v.values[11], 211.0f);
    }
    void evenAttentionAgreesOnlyByChance()
    {
        Volume mask = grid({10, 10, 1});
        for (int i = 0; i < 20; ++i)
            mask.values[static_cast<std::size_t>(i)] = 1;
        const MaskAgreement a = compareWithRegion(grid({10, 10, 1}, 0.5f), mask);
        QCOMPARE(a.regionVoxels, std::size_t{20});
        QVERIFY(std::abs(a.chance - 0.2) < 1e-12);
        QVERIFY(std::abs(a.massInside - 0.2) < 1e-9);
        QVERIFY(std::abs(a.enrichment - 1.0) < 1e-9);
        QCOMPARE(a.peakVoxels, std::size_t{100}); // all tie: 20 of 100 inside, no hit
        QVERIFY(!a.pointingHit);
    }
    void concentratedAttentionHitsAndIsEnriched()
    {
        Volume mask = grid({10, 10, 1});
        Volume attention = grid({10, 10, 1}, 0.01f);
        for (int i = 40; i < 50; ++i)
            mask.values[static_cast<std::size_t>(i)] = 1;
        attention.values[45] = 1.0f;
        attention.values[46] = 1.0f;
        attention.values[3] = -5.0f; // negative values carry no mass
        const MaskAgreement a = compareWithRegion(attention, mask);
        const double mass = 2.0 + 0.01 * 97;
        QVERIFY(std::abs(a.massInside - (2.0 + 0.01 * 8) / mass) < 1e-6);
        QVERIFY(std::abs(a.chance - 0.1) < 1e-12);
        QVERIFY(a.enrichment > 7);
        QCOMPARE(a.peakVoxels, std::size_t{2});
        QVERIFY(a.pointingHit);
        QCOMPARE(a.peakInside, 1.0);
    }
    void aPeakHalfOutsideIsNoHit()
    {
        Volume mask = grid({4, 1, 1});
        Volume attention = grid({4, 1, 1});
        mask.values[0] = 1;
        attention.values[0] = attention.values[1] = 2.0f;
        const MaskAgreement a = compareWithRegion(attention, mask);
        QCOMPARE(a.peakInside, 0.5);
        QVERIFY(!a.pointingHit);
        QVERIFY(thrownMessage<ShapeError>([&] { compareWithRegion(attention, grid({2, 2, 1})); }));
        QCOMPARE(compareWithRegion(grid({4, 1, 1}), mask).massInside, 0.0);
        // An isodose region: the voxels at or above the level.
        Volume dose = grid({4, 1, 1});
        dose.values = {1.0f, 2.0f, 3.0f, 4.0f};
        const MaskAgreement iso = compareWithRegion(attention, dose, 2.0f);
        QCOMPARE(iso.regionVoxels, std::size_t{3});
        QCOMPARE(iso.peakInside, 0.5);
    }
};

QTEST_APPLESS_MAIN(TestReferenceVolume)
#include "TestReferenceVolume.moc"
