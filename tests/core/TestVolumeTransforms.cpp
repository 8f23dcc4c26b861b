// The volume operations MONAI's preprocessing is made of: reorientation (values moved, never
// interpolated, every voxel kept where it is in patient space), respacing (MONAI's sizes, border
// clamping), foreground boxes, regions, resizing by area, nearest-label resampling.

#include "util/Error.h"
#include "volume/Cropping.h"
#include "volume/Orientation.h"
#include "volume/Resample.h"
#include "volume/Resize.h"
#include "volume/Respacing.h"

#include "TestSupport.h"

#include <QTest>

#include <Eigen/Geometry>

using namespace attn;
using namespace attn::test;

namespace {

/// A 5 x 4 x 3 volume whose value says where it is: 100 x + 10 y + z; spacing 1, 2, 3 mm.
Volume ramp()
{
    Volume v;
    v.geometry.size = {5, 4, 3};
    v.geometry.spacing = Eigen::Vector3d(1, 2, 3);
    v.geometry.origin = Eigen::Vector3d(-10, 20, 5);
    for (int z = 0; z < 3; ++z)
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 5; ++x)
                v.values.push_back(static_cast<float>(100 * x + 10 * y + z));
    return v;
}

} // namespace

class TestVolumeTransforms : public QObject {
    Q_OBJECT
private slots:
    void orientationCodesFollowTheAxes()
    {
        VolumeGeometry g;
        QCOMPARE(orientationCodes(g), std::string("LPS"));
        g.direction = Eigen::Matrix3d(Eigen::AngleAxisd(0.2, Eigen::Vector3d::UnitZ())) * Eigen::Vector3d(-1, 1, -1).asDiagonal();
        QCOMPARE(orientationCodes(g), std::string("RPI")); // slightly oblique: the closest axes
        g.direction << 0, 0, 1, 1, 0, 0, 0, -1, 0; // a sagittal acquisition: x -> P, y -> I, z -> L
        QCOMPARE(orientationCodes(g), std::string("PIL"));
    }
    void reorientMovesValuesNotVoxels_data()
    {
        QTest::addColumn<QString>("codes");
        for (const char* c : {"RAS", "LPS", "SAR", "IPL", "ras"})
            QTest::newRow(c) << c;
    }
    void reorientMovesValuesNotVoxels()
    {
        QFETCH(QString, codes);
        const Volume v = ramp();
        const Volume r = reorient(v, codes.toStdString());
        QCOMPARE(orientationCodes(r.geometry), codes.toUpper().toStdString());
        QCOMPARE(r.values.size(), v.values.size());
        for (int z = 0; z < r.geometry.size[2]; ++z) // each value sits at the same patient position as before
            for (int y = 0; y < r.geometry.size[1]; ++y)
                for (int x = 0; x < r.geometry.size[0]; ++x) {
                    const Eigen::Vector3d i = v.geometry.patientToIndex(r.geometry.indexToPatient(Eigen::Vector3d(x, y, z)));
                    QCOMPARE(r.at(x, y, z), v.at(int(std::lround(i.x())), int(std::lround(i.y())), int(std::lround(i.z()))));
                    QVERIFY((i - i.array().round().matrix()).norm() < 1e-9);
                }
        QVERIFY(thrownMessage<FormatError>([&] { reorient(v, "RAR"); })->find("names an axis twice") != std::string::npos);
        QVERIFY(thrownMessage<FormatError>([&] { reorient(v, "XYZ"); }).has_value());
    }
    void respacingAsMonai()
    {
        const Volume v = ramp();
        // (n - 1) s / s' + 1, rounded half to even: x (4 * 1 / 0.8 + 1 = 6), y (3 * 2 / 2.4 + 1 = 3.5 -> 4), z kept
        const Volume r = resampleToSpacing(v, {0.8, 2.4, -1});
        QCOMPARE(r.geometry.size, (std::array<int, 3>{6, 4, 3}));
        QCOMPARE(r.geometry.origin, v.geometry.origin);
        QCOMPARE(r.geometry.spacing, Eigen::Vector3d(0.8, 2.4, 3));
        QVERIFY(std::abs(r.at(1, 1, 2) - 94.0f) < 1e-4f); // linear in each axis: 100 * 0.8 + 10 * 1.2 + 2 at j s' / s
        QCOMPARE(r.at(5, 3, 0), 400.0f + 30.0f);                      // y at 3.6 clamped to the last voxel (border)
        QCOMPARE(resampleToSpacing(v, {1.0005, 2, 3}).values, v.values); // within MONAI's tolerance: unchanged
    }
    void foregroundBoxAndRegions()
    {
        Volume v;
        v.geometry.size = {10, 10, 10};
        v.values.assign(1000, 0.0f);
        v.values[v.index(3, 4, 5)] = 1.0f;
        v.values[v.index(5, 4, 5)] = 1.0f;
        const VoxelBox box = foregroundBox(v, {1, 1, 1}, {4, 4, 4}, false); // x: [2, 7) -> 8 voxels from 1; y, z: 3 -> 4
        QCOMPARE(box.start, (std::array<int, 3>{1, 3, 4}));
        QCOMPARE(box.size, (std::array<int, 3>{8, 4, 4}));
        QCOMPARE(foregroundBox(v, {4, 0, 0}, {1, 1, 1}, true).start[0], 0); // clipped to the study
        QCOMPARE(foregroundBox(v, {4, 0, 0}, {1, 1, 1}, false).start[0], -1);
        v.values.assign(1000, 0.0f);
        QCOMPARE(foregroundBox(v, {0, 0, 0}, {1, 1, 1}, false).size[0], 0);
        QCOMPARE(boxAround(v.geometry, {9, 0, 5}, {4, 4, 16}).start, (std::array<int, 3>{6, 0, -3})); // inside, else centred
        const Volume r = ramp();
        const Volume cut = cropBox(r, {{-1, 2, 1}, {3, 3, 1}}, -5.0f);
        QCOMPARE(cut.at(0, 0, 0), -5.0f);
        QCOMPARE(cut.at(1, 1, 0), 31.0f);
        QCOMPARE(cut.at(2, 2, 0), -5.0f); // y = 4 is beyond the study
        QCOMPARE(cut.geometry.indexToPatient(Eigen::Vector3d(1, 1, 0)), r.geometry.indexToPatient(Eigen::Vector3d(0, 3, 1)));
    }
    void resizeByAreaAndNearestLabels()
    {
        const Volume v = ramp();
        const Volume a = resizeVolume(v, {2, 2, 3}, "area"); // x: [0, 3) and [2, 5); y: [0, 2) and [2, 4)
        QCOMPARE(a.at(0, 0, 0), (0.0f + 100 + 200 + 10 + 110 + 210) / 6.0f);
        QVERIFY(std::abs(a.at(1, 1, 2) - (300.0f + 25.0f + 2.0f)) < 1e-3f); // the mean of a ramp over its cell
        QCOMPARE(resizeVolume(v, {5, 4, 3}, "nearest").values, v.values);
        QVERIFY(thrownMessage<FormatError>([&] { resizeVolume(v, {2, 2, 2}, "bicubic"); }).has_value());
        VolumeGeometry finer = v.geometry; // labels onto a grid twice as fine, shifted by half a voxel
        finer.size = {10, 8, 6};
        finer.spacing = v.geometry.spacing / 2;
        finer.origin = v.geometry.origin - v.geometry.spacing / 4;
        const Volume n = resampleNearestOnto(v, finer, -1.0f);
        QCOMPARE(n.at(0, 0, 0), v.at(0, 0, 0));
        QCOMPARE(n.at(3, 2, 5), v.at(1, 1, 2));
    }
};

QTEST_GUILESS_MAIN(TestVolumeTransforms)
#include "TestVolumeTransforms.moc"
