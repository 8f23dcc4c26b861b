// Backprojecting per-token values to voxels through the stem's receptive fields, and
// resampling an overlay onto a study's grid in patient space, and the body an overlay is drawn in.

#include "interpret/Backprojection.h"
#include "interpret/BodyMask.h"
#include "util/Error.h"
#include "volume/Resample.h"

#include <QTest>

#include <Eigen/Geometry>

#include <cmath>

using namespace attn;

class TestBackprojection : public QObject {
    Q_OBJECT
private slots:
    void smoothBetweenTokenCentres()
    {
        // 2 x 1 x 1 tokens with values 0 and 1, stride 4, offset 0, on an 8 x 4 x 4 input grid:
        // token 0 is centred on x = 0, token 1 on x = 4; in between the value rises linearly.
        VolumeGeometry input;
        input.size = {8, 4, 4};
        const TokenGeometry t{4, 0.0, 7};
        const Volume v = backprojectTokens({0.0f, 1.0f}, PatchLayout{{2, 1, 1}, {t, t, t}, true, 1}, input);
        const float expected[8] = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.0f, 1.0f, 1.0f};
        for (int x = 0; x < 8; ++x)
            QCOMPARE(v.at(x, 2, 3), expected[x]);
    }
    void monaiPatchesLastAxisFastest()
    {
        // MONAI's order (z fastest) and patches of 16 x 16 x 8: patch (1, 1, 1) of a 3 x 3 x 3 grid is
        // token (1 * 3 + 1) * 3 + 1 and is centred on voxel (23.5, 23.5, 11.5): the two voxels either
        // side of that centre on every axis hold the peak.
        VolumeGeometry input;
        input.size = {48, 48, 24};
        const PatchLayout layout{{3, 3, 3}, {TokenGeometry{16, 7.5, 16}, TokenGeometry{16, 7.5, 16}, TokenGeometry{8, 3.5, 8}}, false, 0};
        QCOMPARE(layout.imageToken(1, 1, 1), 13);
        QCOMPARE(layout.imageToken(2, 0, 1), 19);
        std::vector<float> tokens(27, 0.0f);
        tokens[13] = 1.0f;
        const Volume v = backprojectTokens(tokens, layout, input);
        const float peak = *std::max_element(v.values.begin(), v.values.end());
        QCOMPARE(v.at(23, 23, 11), peak);
        QCOMPARE(v.at(24, 24, 12), peak);
        QVERIFY(v.at(22, 23, 11) < peak && v.at(23, 25, 11) < peak && v.at(23, 23, 13) < peak);
    }
    void peakTokenLandsOnItsReceptiveFieldInPatientSpace()
    {
        // a 16^3 input grid (2 mm voxels, shifted origin) whose 4^3 tokens (stride 4, offset 0)
        // have one hot token at (3, 1, 2): the overlay peaks at input voxel (12, 4, 8)
        VolumeGeometry input;
        input.size = {16, 16, 16};
        input.spacing = Eigen::Vector3d(2, 2, 2);
        input.origin = Eigen::Vector3d(-15, 7, 100);
        std::vector<float> tokens(64, 0.1f);
        tokens[static_cast<std::size_t>((2 * 4 + 1) * 4 + 3)] = 1.0f;
        const TokenGeometry t{4, 0.0, 7};
        const Volume v = backprojectTokens(tokens, PatchLayout{{4, 4, 4}, {t, t, t}, true, 1}, input);
        const auto peak = std::max_element(v.values.begin(), v.values.end()) - v.values.begin();
        QCOMPARE(static_cast<std::size_t>(peak), v.index(12, 4, 8));
        // resampled onto a finer study grid covering the same space, the peak stays at the same position
        VolumeGeometry study;
        study.size = {32, 32, 32};
        study.spacing = Eigen::Vector3d(1, 1, 1);
        study.origin = input.origin - Eigen::Vector3d(0.5, 0.5, 0.5);
        const Volume onStudy = resampleOnto(v, study);
        const auto p = static_cast<std::size_t>(std::max_element(onStudy.values.begin(), onStudy.values.end()) - onStudy.values.begin());
        const Eigen::Vector3d index(static_cast<double>(p % 32), static_cast<double>(p / 32 % 32), static_cast<double>(p / 1024));
        const Eigen::Vector3d expected = input.indexToPatient(Eigen::Vector3d(12, 4, 8));
        QVERIFY((study.indexToPatient(index) - expected).norm() <= std::sqrt(3.0) * 0.5 + 1e-9); // within half a study voxel
        QCOMPARE(onStudy.values[onStudy.index(0, 0, 0)], v.at(0, 0, 0)); // inside: sampled
        VolumeGeometry away = study;
        away.origin += Eigen::Vector3d(1000, 0, 0);
        QCOMPARE(resampleOnto(v, away, -1.0f).values.front(), -1.0f); // outside: the given value
    }
    void resampleOntoIsPointSamplingInPatientSpace_data()
    {
        QTest::addColumn<bool>("oblique");
        QTest::newRow("same axes (separable path)") << false;
        QTest::newRow("rotated axes (general path)") << true;
    }
    void resampleOntoIsPointSamplingInPatientSpace()
    {
        // every target voxel equals the source sampled at its patient position (or `outside`)
        QFETCH(bool, oblique);
        Volume source;
        source.geometry.size = {7, 5, 4};
        source.geometry.spacing = Eigen::Vector3d(1.5, 2.0, 3.0);
        source.geometry.origin = Eigen::Vector3d(-4, 2, 10);
        source.geometry.direction = Eigen::AngleAxisd(0.3, Eigen::Vector3d(1, 2, 3).normalized()).toRotationMatrix();
        for (std::size_t i = 0; i < source.geometry.voxels(); ++i)
            source.values.push_back(static_cast<float>((i * 37) % 11));
        VolumeGeometry target = source.geometry;
        target.size = {13, 9, 9};
        target.spacing = Eigen::Vector3d(0.9, 1.1, 1.4);
        target.origin = source.geometry.origin - source.geometry.direction * Eigen::Vector3d(1.0, 0.5, 2.0);
        if (oblique)
            target.direction = Eigen::AngleAxisd(0.2, Eigen::Vector3d::UnitZ()).toRotationMatrix() * target.direction;
        const Volume out = resampleOnto(source, target, -7.0f);
        int inside = 0;
        for (int z = 0; z < 9; ++z)
            for (int y = 0; y < 9; ++y)
                for (int x = 0; x < 13; ++x) {
                    const Eigen::Vector3d p = source.geometry.patientToIndex(target.indexToPatient(Eigen::Vector3d(x, y, z)));
                    const bool in = (p.array() >= -0.5).all() && (p.array() <= Eigen::Array3d(6.5, 4.5, 3.5)).all();
                    inside += in ? 1 : 0;
                    const float expected = in ? sampleTrilinear(source, p) : -7.0f;
                    QVERIFY2(std::abs(out.values[out.index(x, y, z)] - expected) < 1e-5f, qPrintable(QString("voxel %1 %2 %3").arg(x).arg(y).arg(z)));
                }
        QVERIFY(inside > 100 && inside < 13 * 9 * 9); // both cases occur
    }
    void theBodyKeepsItsAirAndLeavesTheAirOutside()
    {
        // 12^3 voxels of air (-1000 HU) holding a cube of tissue (40 HU) with a closed air
        // cavity inside; the air outside touches the faces
        Volume ct;
        ct.geometry.size = {12, 12, 12};
        ct.values.assign(ct.geometry.voxels(), -1000.0f);
        for (int z = 2; z < 10; ++z)
            for (int y = 2; y < 10; ++y)
                for (int x = 2; x < 10; ++x)
                    ct.values[ct.index(x, y, z)] = (x >= 5 && x < 7 && y >= 5 && y < 7 && z >= 5 && z < 7) ? -800.0f : 40.0f;
        const std::vector<std::uint8_t> body = bodyMask(ct);
        QCOMPARE(body[ct.index(0, 0, 0)], std::uint8_t{0});   // outside air
        QCOMPARE(body[ct.index(1, 6, 6)], std::uint8_t{0});   // air beside the cube, reached from a face
        QCOMPARE(body[ct.index(3, 3, 3)], std::uint8_t{1});   // tissue
        QCOMPARE(body[ct.index(5, 5, 5)], std::uint8_t{1});   // the enclosed cavity (a lung, a sinus) stays inside
        std::size_t inside = 0;
        for (std::uint8_t b : body)
            inside += b;
        QCOMPARE(inside, std::size_t{8 * 8 * 8});
        // opening the cavity to the outside through a channel lets the outside air in
        for (int x = 0; x < 5; ++x)
            ct.values[ct.index(x, 5, 5)] = -1000.0f;
        QCOMPARE(bodyMask(ct)[ct.index(5, 5, 5)], std::uint8_t{0});
        Volume overlay = ct;
        overlay.values.assign(ct.geometry.voxels(), 0.5f);
        const Volume drawn = maskedToBody(overlay, body);
        QCOMPARE(drawn.values[ct.index(0, 0, 0)], 0.0f);
        QCOMPARE(drawn.values[ct.index(3, 3, 3)], 0.5f);
        overlay.values.pop_back();
        QVERIFY_THROWS_EXCEPTION(ShapeError, maskedToBody(overlay, body));
    }
};

QTEST_GUILESS_MAIN(TestBackprojection)
#include "TestBackprojection.moc"
