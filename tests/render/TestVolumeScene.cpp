// The 3D view renders the volume (under Xvfb, Mesa): the demo head CT against a stored
// baseline image with a tolerance, plus checks that do not depend on the baseline: the head
// covers the middle of the image and the background its corners, rotating changes the view,
// and the overlay adds colour where it is high.

#include "dicom/DicomSeries.h"
#include "render3d/VolumeScene.h"

#include "TestSupport.h"

#include <QDir>
#include <QImage>
#include <QTest>

#include <cmath>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

QImage toImage(const std::vector<unsigned char>& rgb, int w, int h)
{
    QImage image(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(y * w * 3), w * 3, image.scanLine(y));
    return image;
}

/// Mean absolute difference per channel, 0..255.
double meanDifference(const QImage& a, const QImage& b)
{
    double sum = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q));
        }
    return sum / (3.0 * a.width() * a.height());
}

int brightPixels(const QImage& image, const QRect& r)
{
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += qGray(image.pixel(x, y)) > 60 ? 1 : 0;
    return n;
}

} // namespace

class TestVolumeScene : public QObject {
    Q_OBJECT
    std::shared_ptr<const Volume> head_;

private slots:
    void initTestCase()
    {
        head_ = std::make_shared<const Volume>(loadDicomSeries(scanDicomFolder(dataDir() / "ct_demo").series.front()).volume);
    }
    void rendersTheHeadLikeTheBaseline()
    {
        VolumeScene scene(256, 256);
        scene.setVolume(head_);
        const QImage image = toImage(scene.render(), scene.width(), scene.height());
        QCOMPARE(image.size(), QSize(256, 256));
        QVERIFY2(brightPixels(image, QRect(96, 96, 64, 64)) > 64 * 64 / 2, "the middle of the view is not the head");
        QCOMPARE(brightPixels(image, QRect(0, 0, 16, 16)), 0); // a corner is background
        const QString baseline = QString::fromStdString((std::filesystem::path(ATTNSCOPE_BASELINES) / "volume_anterior.png").string());
        const QImage expected(baseline);
        if (expected.isNull())
            image.save(QDir::currentPath() + "/volume_anterior.actual.png"); // a person checks it and makes it the baseline
        QVERIFY2(!expected.isNull(), qPrintable("no baseline " + baseline));
        const double diff = meanDifference(image.convertToFormat(QImage::Format_RGB32), expected.convertToFormat(QImage::Format_RGB32));
        if (diff >= 6.0)
            image.save(QDir::currentPath() + "/volume_anterior.actual.png"); // for a person to look at
        QVERIFY2(diff < 6.0, qPrintable(QString("mean difference %1 from the baseline").arg(diff)));
    }
    void rotatingAndOverlayChangeThePicture()
    {
        VolumeScene scene(128, 128);
        scene.setVolume(head_);
        const QImage front = toImage(scene.render(), 128, 128);
        scene.rotate(90, 0);
        const QImage side = toImage(scene.render(), 128, 128);
        QVERIFY(meanDifference(front, side) > 3.0);
        // an overlay that is 1 in a sphere of 20 mm around the centre adds warm colour there
        auto overlay = std::make_shared<Volume>();
        overlay->geometry = head_->geometry;
        overlay->values.assign(head_->values.size(), 0.0f);
        const Eigen::Vector3d centre = head_->geometry.indexToPatient(Eigen::Vector3d(64, 64, 27));
        for (int z = 0; z < 54; ++z)
            for (int y = 0; y < 128; ++y)
                for (int x = 0; x < 128; ++x)
                    if ((head_->geometry.indexToPatient(Eigen::Vector3d(x, y, z)) - centre).norm() < 20)
                        overlay->values[overlay->index(x, y, z)] = 1.0f;
        scene.setOverlay(overlay, 0.9f);
        scene.resetCamera();
        const QImage withOverlay = toImage(scene.render(), 128, 128);
        scene.setOverlay(nullptr, 0);
        const QImage without = toImage(scene.render(), 128, 128);
        QVERIFY(meanDifference(withOverlay, without) > 0.5);
    }
};

QTEST_MAIN(TestVolumeScene)
#include "TestVolumeScene.moc"
