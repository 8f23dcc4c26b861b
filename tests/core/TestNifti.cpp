// NIfTI-1 overlay files: values and geometry survive a round trip; the sform is RAS (DICOM's
// LPS with x and y negated), as 3D Slicer and ITK-SNAP expect.

#include "io/BinaryFile.h"
#include "io/Nifti.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <zlib.h>

using namespace attn;
using namespace attn::test;

namespace {

Volume obliqueVolume()
{
    Volume v;
    v.geometry.size = {5, 4, 3};
    v.geometry.spacing = Eigen::Vector3d(0.8, 0.9, 2.5);
    v.geometry.origin = Eigen::Vector3d(-30.5, 12.25, 40.0);
    const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
    v.geometry.direction << 1, 0, 0, 0, c, -s, 0, s, c;
    for (int i = 0; i < 60; ++i)
        v.values.push_back(static_cast<float>(i) * 0.5f - 3.0f);
    return v;
}

} // namespace

class TestNifti : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void roundTripKeepsValuesAndGeometry_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("nii") << "overlay.nii";
        QTest::newRow("nii.gz") << "overlay.nii.gz";
    }
    void roundTripKeepsValuesAndGeometry()
    {
        QFETCH(QString, name);
        const auto path = std::filesystem::path(tmp_.path().toStdString()) / name.toStdString();
        const Volume v = obliqueVolume();
        writeNifti(path, v);
        const Volume r = readNifti(path);
        QCOMPARE(r.geometry.size, v.geometry.size);
        QVERIFY(r.values == v.values);
        QVERIFY((r.geometry.origin - v.geometry.origin).norm() < 1e-4);
        QVERIFY((r.geometry.spacing - v.geometry.spacing).norm() < 1e-5);
        QVERIFY((r.geometry.direction - v.geometry.direction).norm() < 1e-5);
        if (name.endsWith(".gz")) { // really gzip
            const std::string bytes = readText(path);
            QVERIFY(bytes.size() > 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b);
        }
    }
    void sformIsRas()
    {
        const auto path = std::filesystem::path(tmp_.path().toStdString()) / "ras.nii";
        writeNifti(path, obliqueVolume());
        const std::string bytes = readText(path);
        // NIfTI-1 header: srow_x at byte 280, srow_y at 296, srow_z at 312 (4 floats each); sform_code at 254
        float srow[12];
        std::memcpy(srow, bytes.data() + 280, sizeof srow);
        std::int16_t sformCode = 0;
        std::memcpy(&sformCode, bytes.data() + 254, sizeof sformCode);
        QCOMPARE(sformCode, std::int16_t{1});
        QCOMPARE(srow[3], 30.5f);   // x offset: LPS -30.5 is RAS +30.5
        QCOMPARE(srow[7], -12.25f); // y offset negated
        QCOMPARE(srow[11], 40.0f);  // z unchanged
        QCOMPARE(srow[0], -0.8f);   // first axis along LPS +x is RAS -x
    }
    void headersThatClaimMoreVoxelsThanTheFileHasAreRefused()
    {
        // found by fuzz_nifti: nifticlib allocated the claimed voxels (5.7 GB for a small file)
        const auto path = std::filesystem::path(tmp_.path().toStdString()) / "claim.nii";
        writeNifti(path, obliqueVolume());
        std::string bytes = readText(path);
        const std::int16_t dims[4] = {3, 2000, 2000, 400}; // dim[0..3] at byte 40
        std::memcpy(bytes.data() + 40, dims, sizeof dims);
        writeBinaryFile(path, bytes);
        const auto msg = thrownMessage<FormatError>([&] { readNifti(path); });
        QVERIFY2(msg && msg->find("claim.nii: claims 2000 x 2000 x 400 voxels (6400000000 bytes), but the file has") != std::string::npos,
                 msg ? msg->c_str() : "no error");
    }
    void unwritablePathIsReported()
    {
        const auto msg = thrownMessage<IoError>([&] { writeNifti(tmp_.path().toStdString() + "/no/such/dir/x.nii", obliqueVolume()); });
        QVERIFY(msg && msg->find("x.nii: cannot write") != std::string::npos);
        QVERIFY(thrownMessage<IoError>([&] { writeNifti(tmp_.path().toStdString() + "/x.txt", obliqueVolume()); }).has_value());
    }
};

QTEST_GUILESS_MAIN(TestNifti)
#include "TestNifti.moc"
