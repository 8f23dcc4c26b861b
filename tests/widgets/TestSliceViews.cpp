// The linked slice views: crosshair clicks move the other planes, the wheel scrolls, a right
// drag sets the window, orientation letters and scale bar, and a marker written at a known
// patient position in an oblique DICOM series shows under the crosshair placed there.

#include "dicom/DicomSeries.h"
#include "export/FigureExport.h"
#include "io/Nifti.h"
#include "slices/SliceView.h"
#include "slices/SlicesFigure.h"
#include "util/Error.h"

#include "DicomWriter.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

/// 40 x 30 x 20 voxels of 1 x 1 x 2 mm, axial, values x + 100 y + 1000 z.
std::shared_ptr<const Volume> rampVolume()
{
    auto v = std::make_shared<Volume>();
    v->geometry.size = {40, 30, 20};
    v->geometry.spacing = Eigen::Vector3d(1, 1, 2);
    v->values.resize(v->geometry.voxels());
    for (int z = 0; z < 20; ++z)
        for (int y = 0; y < 30; ++y)
            for (int x = 0; x < 40; ++x)
                v->values[v->index(x, y, z)] = static_cast<float>(x + 100 * y + 1000 * z);
    return v;
}

struct Views {
    VolumeState state;
    SliceView axial{&state, Plane::Axial}, coronal{&state, Plane::Coronal}, sagittal{&state, Plane::Sagittal};
    Views()
    {
        for (SliceView* v : {&axial, &coronal, &sagittal}) {
            v->resize(300, 300);
            v->show();
        }
    }
};

} // namespace

class TestSliceViews : public QObject {
    Q_OBJECT
private slots:
    void clickMovesTheOtherPlanes()
    {
        Views w;
        w.state.setVolume(rampVolume(), "ramp");
        QVERIFY(QTest::qWaitForWindowExposed(&w.axial));
        QCOMPARE(w.state.cursor(), (std::array<int, 3>{20, 15, 10}));
        QTest::mouseClick(&w.axial, Qt::LeftButton, {}, w.axial.voxelPosition({7, 22, 10}).toPoint());
        QCOMPARE(w.state.cursor(), (std::array<int, 3>{7, 22, 10}));
        QVERIFY(w.sagittal.figureData().array.data.size() == 20u * 30u);
        // the sagittal view now shows x = 7: its values are 7 + 100 y + 1000 z
        const Tensor sag = w.sagittal.figureData().array;
        QCOMPARE(sag.data[static_cast<std::size_t>(19 * 30 + 3)], 7.0f + 300.0f); // bottom row is z = 0
        // the coronal view shows y = 22
        const Tensor cor = w.coronal.figureData().array;
        QCOMPARE(cor.data[0], 2200.0f + 19000.0f); // top row is z = 19
        QTest::mouseClick(&w.coronal, Qt::LeftButton, {}, w.coronal.voxelPosition({30, 22, 3}).toPoint());
        QCOMPARE(w.state.cursor(), (std::array<int, 3>{30, 22, 3}));
    }
    void wheelScrollsAndRightDragWindows()
    {
        Views w;
        w.state.setVolume(rampVolume(), "ramp");
        QVERIFY(QTest::qWaitForWindowExposed(&w.axial));
        const QPoint at = w.axial.rect().center();
        QWheelEvent up(at, w.axial.mapToGlobal(at), {}, {0, 120}, Qt::NoButton, {}, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&w.axial, &up);
        QCOMPARE(w.state.cursor()[2], 11);
        w.state.setWindow(400, 40);
        QTest::mousePress(&w.axial, Qt::RightButton, {}, at);
        QMouseEvent drag(QEvent::MouseMove, QPointF(at + QPoint(50, -20)), w.axial.mapToGlobal(QPointF(at + QPoint(50, -20))),
                         Qt::NoButton, Qt::RightButton, {});
        QApplication::sendEvent(&w.axial, &drag);
        QTest::mouseRelease(&w.axial, Qt::RightButton, {}, at + QPoint(50, -20));
        QVERIFY(w.state.windowWidth() > 400); // dragged right: wider
        QVERIFY(w.state.windowLevel() > 40);  // dragged up: higher
        QCOMPARE(w.state.cursor()[0], 20);    // a right drag does not move the crosshair
    }
    void overlayIsBlendedAboveItsThreshold()
    {
        Views w;
        w.state.setVolume(rampVolume(), "ramp");
        w.state.setWindow(1, -1000); // the ramp is all white: colours come from the overlay only
        auto overlay = std::make_shared<Volume>();
        overlay->geometry = w.state.volume()->geometry;
        overlay->values.assign(overlay->geometry.voxels(), 0.0f);
        overlay->values[overlay->index(10, 12, 10)] = 1.0f;
        overlay->values[overlay->index(30, 12, 10)] = 0.1f; // under the threshold
        w.state.setOverlay(overlay);
        w.state.setOverlayStyle({"viridis", 1.0, 0.2});
        w.state.setCursor({0, 0, 10});
        QVERIFY(QTest::qWaitForWindowExposed(&w.axial));
        const QImage image = w.axial.grab().toImage();
        const Rgb top = Colormap::byName("viridis").at(1.0);
        QCOMPARE(QColor(image.pixel(w.axial.voxelPosition({10, 12, 10}).toPoint())), QColor(top.r, top.g, top.b));
        QCOMPARE(QColor(image.pixel(w.axial.voxelPosition({30, 12, 10}).toPoint())), QColor(Qt::white));
        w.state.setOverlayStyle({"viridis", 0.5, 0.2}); // half opacity: half way to white
        const QColor half = w.axial.grab().toImage().pixel(w.axial.voxelPosition({10, 12, 10}).toPoint());
        QVERIFY(std::abs(half.red() - (255 + top.r) / 2) <= 1 && std::abs(half.blue() - (255 + top.b) / 2) <= 1);
    }
    void anExportedSliceSaysWhatItsOverlayShowsAndWritesItsNumbers()
    {
        Views w;
        w.state.setVolume(rampVolume(), "ramp");
        QCOMPARE(w.axial.figureSize(), SliceView::planeFigureSize()); // no overlay: the plane alone
        QVERIFY(!w.axial.figureVolume());
        QVERIFY_THROWS_EXCEPTION(IoError, exportAny(w.axial, QDir::temp().filePath("attnscope-none.nii")));
        auto numbers = std::make_shared<Volume>();
        numbers->geometry = w.state.volume()->geometry;
        numbers->values.assign(numbers->geometry.voxels(), 0.25f);
        auto drawn = std::make_shared<Volume>(*numbers);
        drawn->values[0] = 0.0f; // masked where it is drawn
        w.state.setOverlay(drawn, "layer 0, head 1, from [CLS]; drawn inside the body only", numbers);
        QCOMPARE(w.axial.figureSize(), SliceView::planeFigureSize() + QSize(kOverlayLegendWidth, 0)); // and its legend
        const QString svg = QDir::temp().filePath("attnscope-axial.svg");
        exportFigure(w.axial, svg);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList texts; // the figure's text elements, in order (wrapped lines apart)
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        const QString legend = texts.join(' ');
        QVERIFY2(legend.contains("attention") && legend.contains("drawn inside the body only"), qPrintable(legend));
        const QString nii = QDir::temp().filePath("attnscope-axial-overlay.nii.gz");
        exportAny(w.axial, nii); // the numbers on every voxel, not the drawn copy
        const Volume back = readNifti(nii.toStdString());
        QCOMPARE(back.values.size(), numbers->values.size());
        QCOMPARE(back.values[0], 0.25f);
    }
    void orientationLettersAndScaleBar()
    {
        Views w;
        w.state.setVolume(rampVolume(), "ramp");
        QCOMPARE(w.axial.orientationLabels(), (std::array<QString, 4>{"R", "L", "A", "P"}));
        QCOMPARE(w.coronal.orientationLabels(), (std::array<QString, 4>{"R", "L", "S", "I"}));
        QCOMPARE(w.sagittal.orientationLabels(), (std::array<QString, 4>{"A", "P", "S", "I"}));
        QCOMPARE(w.axial.scaleBarMillimetres(), 5.0); // 40 mm wide: a fifth is 8, the round length below is 5
        // the coronal image keeps millimetre proportions: 40 mm wide, 40 mm tall (20 slices of 2 mm)
        const QRectF r = w.coronal.imageRect();
        QVERIFY(std::abs(r.width() - r.height()) < 1.0);
    }
    void markerAtItsPatientPositionIsUnderTheCrosshair()
    {
        namespace dt = attn::dicomtools;
        QTemporaryDir tmp;
        dt::SeriesSpec spec;
        spec.rows = 32;
        spec.cols = 36;
        spec.slices = 16;
        const double c = std::cos(M_PI / 9), s = std::sin(M_PI / 9); // 20 degrees about y
        spec.orientation = {c, 0, -s, 0, 1, 0};
        spec.origin = {-20, -15, 30};
        spec.rowSpacing = 0.9;
        spec.colSpacing = 0.9;
        spec.sliceSpacing = 1.8;
        spec.shuffleFileNames = true;
        const int mx = 25, my = 9, mz = 11;
        dt::writeSeries(spec, [&](int x, int y, int z) { return x == mx && y == my && z == mz ? 2000 : 0; }, tmp.path().toStdString());
        const DicomVolume loaded = loadDicomSeries(scanDicomFolder(tmp.path().toStdString()).series.front());
        const auto p = dt::voxelToPatient(spec, mx, my, mz);
        const Eigen::Vector3d index = loaded.volume.geometry.patientToIndex(Eigen::Vector3d(p[0], p[1], p[2]));
        const std::array<int, 3> voxel{static_cast<int>(std::lround(index.x())), static_cast<int>(std::lround(index.y())),
                                       static_cast<int>(std::lround(index.z()))};
        QVERIFY((index - Eigen::Vector3d(voxel[0], voxel[1], voxel[2])).norm() < 1e-6);
        Views w;
        w.state.setVolume(std::make_shared<const Volume>(loaded.volume), "oblique");
        w.state.setWindow(400, 1000);
        w.state.setCursor(voxel);
        QVERIFY(QTest::qWaitForWindowExposed(&w.sagittal));
        for (SliceView* v : {&w.axial, &w.coronal, &w.sagittal}) {
            const QImage image = v->grab().toImage();
            // just beside the crosshair lines (the pixel under them is drawn over): bright marker
            const QPoint at = (v->voxelPosition(voxel) + QPointF(2, 2)).toPoint();
            QVERIFY2(qGray(image.pixel(at)) > 200, qPrintable(QString::number(qGray(image.pixel(at)))));
            const QPoint away = (v->voxelPosition({2, 2, voxel[2]}) + QPointF(2, 2)).toPoint();
            QVERIFY(qGray(image.pixel(away)) < 60 || v->plane() != Plane::Axial);
        }
    }
};

QTEST_MAIN(TestSliceViews)
#include "TestSliceViews.moc"
