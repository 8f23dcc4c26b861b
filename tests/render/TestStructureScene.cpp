// The 3D structure (under Xvfb, Mesa): the trypsin chain's Calpha tube fills the middle of a
// white background, the tube takes the colormap's colours where values are high, contact lines
// are drawn green or red by whether they are true, and a missing residue breaks the trace.

#include "render3d/StructureScene.h"
#include "render3d/StructureView.h"
#include "render3d/VolumeScene.h"
#include "structure/ProteinStructure.h"

#include "common/ColourPainting.h"
#include "TestSupport.h"

#include <QImage>
#include <QTest>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

QImage renderOf(StructureScene& scene)
{
    return rgbImage(scene.render(), scene.width(), scene.height());
}

int pixelsWhere(const QImage& image, const std::function<bool(QRgb)>& test)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += test(image.pixel(x, y)) ? 1 : 0;
    return n;
}

bool pureGreen(QRgb c) { return qGreen(c) > 120 && qRed(c) < 60 && qBlue(c) < 80; }
bool pureRed(QRgb c) { return qRed(c) > 170 && qGreen(c) < 60 && qBlue(c) < 60; }

} // namespace

class TestStructureScene : public QObject {
    Q_OBJECT
    std::vector<std::optional<Eigen::Vector3d>> trace_;

private slots:
    void initTestCase()
    {
        if (!volumeRenderingAvailable())
            QFAIL("no X display: the render tests run under xvfb-run (README)");
        const ProteinStructure s = readStructure(dataDir() / "structure/1A0J_A.pdb.gz");
        for (const StructureResidue& r : s.chain("").residues)
            trace_.push_back(r.hasCa ? std::optional<Eigen::Vector3d>(r.ca) : std::nullopt);
    }
    void theTubeFillsTheMiddle()
    {
        StructureScene scene(300, 300);
        scene.setTrace(trace_);
        const QImage image = renderOf(scene);
        QCOMPARE(image.size(), QSize(300, 300));
        const int drawn = pixelsWhere(image, [](QRgb c) { return qGray(c) < 235; });
        QVERIFY2(drawn > 300 * 300 / 10, qPrintable(QString::number(drawn)));
        QCOMPARE(pixelsWhere(image.copy(0, 0, 12, 12), [](QRgb c) { return qGray(c) < 235; }), 0); // a corner is background
    }
    void valuesColourTheTube()
    {
        StructureScene scene(300, 300);
        scene.setTrace(trace_);
        const int before = pixelsWhere(renderOf(scene), [](QRgb c) { return qRed(c) > 180 && qGreen(c) > 180 && qBlue(c) < 90; });
        scene.setValues(std::vector<float>(trace_.size(), 1.0f), Colormap::byName("viridis")); // viridis at 1 is yellow
        const int yellow = pixelsWhere(renderOf(scene), [](QRgb c) { return qRed(c) > 180 && qGreen(c) > 180 && qBlue(c) < 90; });
        QCOMPARE(before, 0);
        QVERIFY2(yellow > 2000, qPrintable(QString::number(yellow)));
    }
    void contactsAreGreenWhenTrueAndRedWhenNot()
    {
        StructureScene scene(300, 300);
        scene.setTrace(trace_);
        scene.setContacts({{0, 120, true}, {10, 200, true}});
        const QImage green = renderOf(scene);
        scene.setContacts({{0, 120, false}, {10, 200, false}});
        const QImage red = renderOf(scene);
        QVERIFY2(pixelsWhere(green, pureGreen) > 40, qPrintable(QString::number(pixelsWhere(green, pureGreen))));
        QCOMPARE(pixelsWhere(green, pureRed), 0);
        QVERIFY(pixelsWhere(red, pureRed) > 40);
        QCOMPARE(pixelsWhere(red, pureGreen), 0);
    }
    void theViewExportsItsData()
    {
        StructureView view;
        std::vector<std::optional<Eigen::Vector3d>> trace = trace_;
        trace[5].reset(); // a residue without coordinates
        view.setTrace(trace, {});
        view.setValues(std::vector<float>(trace.size(), 0.5f));
        view.resize(400, 400);
        view.show();
        QTRY_VERIFY(!view.image().isNull());
        const FigureData d = view.figureData();
        QCOMPARE(d.rows.size(), trace.size());
        QCOMPARE(d.rows[5][2], QString("0"));
        QCOMPARE(d.array.data[5], 0.5f);
    }
};

QTEST_MAIN(TestStructureScene)
#include "TestStructureScene.moc"
