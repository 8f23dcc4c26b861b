// The 3D view renders the volume (under Xvfb, Mesa): the demo head CT against a stored
// baseline image with a tolerance, plus checks that do not depend on the baseline: the head
// covers the middle of the image and the background its corners, rotating changes the view,
// and the overlay adds colour where it is high; the Qt view follows the preset and the
// overlay's colormap and threshold.

#include "dicom/DicomSeries.h"
#include "export/FigureExport.h"
#include "render3d/VolumeRenderView.h"
#include "render3d/VolumeScene.h"

#include "TestSupport.h"
#include "ViewTestSupport.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTest>

#include <cmath>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

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
        head_ = std::make_shared<const Volume>(loadDicomSeries(scanDicomFolder(ctDemoStudy()).series.front()).volume);
    }
    void rendersTheHeadLikeTheBaseline()
    {
        VolumeScene scene(256, 256);
        scene.setVolume(head_);
        scene.setPreset(VolumePreset::Bone); // the baseline's preset (the default, glass, is faint by design)
        const QImage image = renderImage(scene);
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
        scene.setPreset(VolumePreset::Bone);
        const QImage front = renderImage(scene);
        scene.rotate(90, 0);
        const QImage side = renderImage(scene);
        QVERIFY(meanDifference(front, side) > 3.0);
        // an overlay that is 1 in a sphere of 20 mm around the centre adds warm colour there, seen
        // through the glass preset (bone hides it: the overlay is composited at its depth)
        const QRect middle(40, 40, 48, 48);
        const auto overlayEffect = [&](VolumePreset preset) { // mean change in the middle, and at the edges
            scene.setPreset(preset);
            scene.resetCamera();
            scene.setOverlay(nullptr, {});
            const QImage without = renderImage(scene);
            scene.setOverlay(sphereOverlay(), widgets::OverlayStyle{"magma", 0.9, 0.2});
            const QImage with = renderImage(scene);
            return std::pair{meanDifference(with.copy(middle), without.copy(middle)),
                             meanDifference(with.copy(0, 0, 128, 24), without.copy(0, 0, 128, 24))};
        };
        const auto [glassMiddle, glassEdge] = overlayEffect(VolumePreset::Glass);
        QVERIFY2(glassMiddle > 3.0 && glassEdge < 0.2, qPrintable(QString("%1 %2").arg(glassMiddle).arg(glassEdge)));
        // behind the skull under the bone preset it is hidden: composited at its depth, not drawn on top
        const auto [boneMiddle, boneEdge] = overlayEffect(VolumePreset::Bone);
        QVERIFY2(boneMiddle < glassMiddle / 3, qPrintable(QString("bone %1, glass %2").arg(boneMiddle).arg(glassMiddle)));
        (void)boneEdge;
    }
    void aCameraPoseReturnsTheSameView()
    {
        // a session saves the 3D camera and restores it, also into a view not yet shown
        VolumeScene turned(160, 160);
        turned.setVolume(head_);
        turned.rotate(40, 25);
        turned.zoom(1.3);
        const CameraPose pose = turned.camera();
        const QImage expected = renderImage(turned);
        VolumeScene other(160, 160);
        other.setVolume(head_);
        QVERIFY(meanDifference(renderImage(other), expected) > 3.0); // the default view differs
        other.setCamera(pose);
        QVERIFY(meanDifference(renderImage(other), expected) < 0.5);
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(other.camera().position[i] - pose.position[i]) < 1e-6);

        VolumeState state;
        state.setVolume(head_, "head");
        VolumeRenderView view(&state);
        QVERIFY(!view.camera()); // hidden, never shown: no scene, no camera
        view.setCamera(pose);
        QVERIFY(view.camera() && std::abs(view.camera()->viewAngle - pose.viewAngle) < 1e-9); // kept for the scene
        view.resize(160, 160);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(QTest::qWaitFor([&] { return view.image().width() == 160; }, 10000));
        QVERIFY(meanDifference(view.image().convertToFormat(QImage::Format_RGB32), expected.convertToFormat(QImage::Format_RGB32)) < 0.5);
        QVERIFY(std::abs(view.camera()->position[2] - pose.position[2]) < 1e-6);
        auto other2 = std::make_shared<const Volume>(*head_);
        state.setVolume(other2, "copy"); // another study: the pose was for the first
        QVERIFY(QTest::qWaitFor([&] { return view.camera().has_value(); }, 10000));
        QVERIFY(std::abs(view.camera()->position[0] - pose.position[0]) > 1.0);
    }
    void anotherStudyAfterAnOverlayRendersAsAFreshScene()
    {
        // two components (study and overlay) back to one: the same picture as a scene that never had an overlay
        auto shifted = std::make_shared<Volume>(*head_);
        for (float& v : shifted->values)
            v += 100.0f;
        VolumeScene used(128, 128);
        used.setVolume(head_);
        used.setOverlay(sphereOverlay(), widgets::OverlayStyle{"magma", 0.9, 0.2});
        (void)renderImage(used);
        used.setVolume(shifted);
        VolumeScene fresh(128, 128);
        fresh.setVolume(shifted);
        QVERIFY(meanDifference(renderImage(used), renderImage(fresh)) < 0.5);
    }
    void viewFollowsThePresetAndTheOverlayStyle()
    {
        VolumeState state;
        state.setVolume(head_, "head");
        VolumeRenderView view(&state);
        view.setPreset(VolumePreset::Skin); // before the scene exists: kept for it
        state.setOverlayStyle({"magma", 0.5, 0.2});
        QVERIFY(view.image().isNull()); // hidden: no rendering work
        view.resize(160, 160);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view)); // shown: rendered with the preset kept
        const QImage skin = view.image();
        QCOMPARE(skin.size(), QSize(160, 160));
        view.setPreset(VolumePreset::Bone);
        const QImage bone = view.image();
        QVERIFY2(meanDifference(skin, bone) > 3.0, "the preset did not change the rendering"); // skin hides the skull
        view.setPreset(VolumePreset::Glass);
        state.setOverlay(sphereOverlay(), "sphere");
        const QRect middle(56, 56, 48, 48); // where the sphere is drawn
        const auto settled = [&] { // style changes render at half size at once, in full once they stop
            const bool full = QTest::qWaitFor([&] { return view.image().width() == 160; }, 10000);
            return full ? view.image().copy(middle) : QImage();
        };
        state.setOverlayStyle({"magma", 0.9, 0.2});
        QCOMPARE(view.image().width(), 80);
        const QImage magma = settled();
        state.setOverlayStyle({"viridis", 0.9, 0.2});
        const QImage viridis = settled();
        QVERIFY2(meanDifference(magma, viridis) > 0.5, "the 3D overlay ignores the colormap");
        QVERIFY(greenness(viridis) > greenness(magma)); // viridis ends in green and yellow, magma in red and yellow
        state.setOverlayStyle({"viridis", 0.9, 0.99});
        QVERIFY2(meanDifference(viridis, settled()) > 0.5, "the 3D overlay ignores the threshold");

        // exported, the 600-pixel figure is rendered at 600 pixels, not the 160-pixel widget image
        // scaled up: it has far more detail
        view.setPreset(VolumePreset::Bone); // shaded bone has the fine detail to compare
        const QString png = QDir::temp().filePath("attnscope-volume-export.png");
        exportFigure(view, png, 96); // (Mesa's software ray casting takes ~40 s at 1200 pixels)
        const QImage exported(png);
        QCOMPARE(exported.size(), QSize(600, 600));
        const QImage upscaled = view.image().scaled(600, 600, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY2(edgeEnergy(exported) > 2 * edgeEnergy(upscaled),
                 qPrintable(QString("%1 vs %2").arg(edgeEnergy(exported)).arg(edgeEnergy(upscaled))));
        QFile::remove(png);
    }

    void largeStudiesRenderWhereTheyAre()
    {
        // 330 x 330 x 170 voxels (18.5 M, over the 256^3 voxels the scene renders from, so through its
        // coarser copy): a bone ball of radius 50 mm in the middle shows in the middle
        auto big = std::make_shared<Volume>();
        big->geometry.size = {330, 330, 170};
        big->geometry.spacing = Eigen::Vector3d(0.6, 0.6, 1.2);
        big->values.resize(big->geometry.voxels());
        const Eigen::Vector3d centre = big->geometry.indexToPatient(Eigen::Vector3d(164.5, 164.5, 84.5));
        for (int z = 0; z < 170; ++z)
            for (int y = 0; y < 330; ++y)
                for (int x = 0; x < 330; ++x)
                    big->values[big->index(x, y, z)] = (big->geometry.indexToPatient(Eigen::Vector3d(x, y, z)) - centre).norm() < 50 ? 1200.0f : -1000.0f;
        VolumeScene scene(128, 128);
        scene.setVolume(big);
        scene.setPreset(VolumePreset::Bone);
        const QImage image = renderImage(scene);
        QVERIFY2(brightPixels(image, QRect(56, 56, 16, 16)) == 16 * 16, "the ball is not in the middle");
        QCOMPARE(brightPixels(image, QRect(0, 0, 12, 12)), 0);
    }

private:
    /// 1 in a sphere of 20 mm around the study's centre, 0 elsewhere.
    std::shared_ptr<const Volume> sphereOverlay() const
    {
        auto overlay = std::make_shared<Volume>();
        overlay->geometry = head_->geometry;
        overlay->values.assign(head_->values.size(), 0.0f);
        const Eigen::Vector3d centre = head_->geometry.indexToPatient(Eigen::Vector3d(64, 64, 27));
        for (int z = 0; z < 54; ++z)
            for (int y = 0; y < 128; ++y)
                for (int x = 0; x < 128; ++x)
                    if ((head_->geometry.indexToPatient(Eigen::Vector3d(x, y, z)) - centre).norm() < 20)
                        overlay->values[overlay->index(x, y, z)] = 1.0f;
        return overlay;
    }
    /// Mean absolute grey difference between horizontal neighbours (fine detail).
    static double edgeEnergy(const QImage& image)
    {
        double sum = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 1; x < image.width(); ++x)
                sum += std::abs(qGray(image.pixel(x, y)) - qGray(image.pixel(x - 1, y)));
        return sum / (image.width() * image.height());
    }
    /// Mean of green minus red over the image.
    static double greenness(const QImage& image)
    {
        double sum = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                sum += qGreen(image.pixel(x, y)) - qRed(image.pixel(x, y));
        return sum / (image.width() * image.height());
    }
};

QTEST_MAIN(TestVolumeScene)
#include "TestVolumeScene.moc"
