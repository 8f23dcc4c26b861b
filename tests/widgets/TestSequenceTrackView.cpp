// The sequence track: rollout and head rows follow the selection and the rollout controls.

#include "interpret/KmerSpread.h"
#include "export/FigureExport.h"
#include "track/SequenceTrackView.h"

#include "ViewTestSupport.h"

#include <QComboBox>
#include <QFile>
#include <QFontMetricsF>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QSpinBox>
#include <QTest>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

class TestSequenceTrackView : public QObject {
    Q_OBJECT
private slots:
    void showsClsRolloutThenTheClickedToken()
    {
        ExplorerState state;
        SequenceTrackView track(&state);
        track.resize(900, 200);
        track.show();
        QVERIFY(QTest::qWaitForWindowExposed(&track));
        state.setRun(goldenRun());
        const RunResult& r = *state.run().result;
        QTRY_VERIFY(!track.rolloutPending()); // computed on a worker, shown when done
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, {}, 0)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY((track.headRow() - r.attention.head(0, 0).row(0)).cwiseAbs().maxCoeff() == 0.0f);
        SequenceStrips* strips = track.strips();
        QTest::mouseClick(strips, Qt::LeftButton, {}, strips->tokenRect(4).center().toPoint());
        QCOMPARE(state.token(), 4);
        QTRY_VERIFY(!track.rolloutPending());
        QCOMPARE(track.status(), QString("row of T (token 4)"));
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, {}, 4)).cwiseAbs().maxCoeff() == 0.0f);
        state.select(2, 1);
        QVERIFY((track.headRow() - r.attention.head(2, 1).row(4)).cwiseAbs().maxCoeff() == 0.0f);
        QTest::mouseMove(strips, strips->tokenRect(6).center().toPoint());
        QTRY_VERIFY(strips->readout().startsWith("6 A: rollout"));
    }
    void controlsChangeTheRollout()
    {
        ExplorerState state;
        state.setRun(goldenRun());
        SequenceTrackView track(&state);
        auto* fusion = track.findChild<QComboBox*>("rolloutFusion");
        auto* start = track.findChild<QSpinBox*>("rolloutStart");
        QVERIFY(fusion && start);
        QCOMPARE(start->maximum(), 2);
        fusion->setCurrentIndex(1);
        start->setValue(1);
        track.finishRollout();
        const RunResult& r = *state.run().result;
        const RolloutOptions o{HeadFusion::Max, 0.0f, 1};
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, o, 0)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY(track.figureTitle().contains("max fusion") && track.figureTitle().contains("from layer 1"));
        const FigureData d = track.figureData();
        QCOMPARE(d.array.shape, (std::vector<std::int64_t>{2, 13}));
        QCOMPARE(d.rows.size(), std::size_t{13});
    }
    void aLongRunShowsThePreviousRowUntilTheNewOneIsReady()
    {
        // A request made while another is computed replaces it; the strip keeps the last row shown.
        ExplorerState state;
        state.setRun(spikeRun(1024, 3, 7));
        SequenceTrackView track(&state);
        track.finishRollout();
        const RowVector cls = track.rollout();
        QCOMPARE(cls.size(), Index{1024});
        const RunResult& r = *state.run().result;
        state.selectToken(3);
        state.selectToken(700); // the request for 3 is cancelled or shown, never left pending
        if (track.rolloutPending()) {
            QVERIFY(track.status().startsWith("computing the rollout row of A (token 700)"));
            QVERIFY(track.rollout().size() == 1024); // the previous row stays on screen meanwhile
        }
        track.finishRollout();
        QVERIFY(!track.rolloutPending());
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, {}, 700)).cwiseAbs().maxCoeff() == 0.0f);
        QCOMPARE(track.status(), QString("row of A (token 700)"));
        state.setRun(goldenRun()); // another run: its own row, never the last one's
        track.finishRollout();
        QCOMPARE(track.rollout().size(), Index{state.run().length()});
    }
    void aSingleStrongWeightStaysVisibleWhenPositionsShareAPixel()
    {
        // 4,096 positions in about 700 pixels: each pixel's bar is the largest of its positions.
        ExplorerState state;
        state.setRun(spikeRun(4096, 0, 3000));
        SequenceTrackView track(&state);
        track.resize(900, 240);
        track.show();
        QVERIFY(QTest::qWaitForWindowExposed(&track));
        track.finishRollout();
        SequenceStrips* strips = track.strips();
        QVERIFY(strips->tokenRect(3000).width() < 0.5);
        const QImage image = strips->grab().toImage();
        const Rgb top = state.colormap().at(1.0);
        const auto hotPixels = [&](int x) {
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                n += QColor(image.pixel(x, y)) == QColor(top.r, top.g, top.b);
            return n;
        };
        const int x = static_cast<int>(std::floor(strips->tokenRect(3000).x()));
        QVERIFY2(hotPixels(x) > 10, "the spike's bar is drawn at full height");
        QCOMPARE(hotPixels(static_cast<int>(std::floor(strips->tokenRect(1000).x()))), 0);
    }
    void kmerModelsShowBases()
    {
        ExplorerState state;
        state.setRun(goldenRun("bert_kmer3", "ACGTTAGCAT")); // 10 bases: [CLS], 8 3-mers, [SEP]
        SequenceTrackView track(&state);
        track.resize(900, 200);
        track.show();
        QVERIFY(QTest::qWaitForWindowExposed(&track));
        const TrackData& d = track.display();
        QVERIFY(d.perBase);
        QCOMPARE(d.count(), 10);
        QCOMPARE(d.labels.join(""), QString("ACGTTAGCAT"));
        const RunData& run = state.run();
        track.finishRollout();
        const std::vector<float> expected = spreadToBases(track.rollout(), run.spans, 10);
        for (int b = 0; b < 10; ++b)
            QCOMPARE(d.rollout(b), expected[static_cast<std::size_t>(b)]);
        // clicking base 4 selects the 3-mer that starts there (token 5); the bases it covers are highlighted
        SequenceStrips* strips = track.strips();
        QTest::mouseClick(strips, Qt::LeftButton, {}, strips->tokenRect(4).center().toPoint());
        QCOMPARE(state.token(), 5);
        QCOMPARE(track.display().highlightBegin, 4);
        QCOMPARE(track.display().highlightEnd, 7);
        // the last bases belong to the last 3-mer (token 8)
        QTest::mouseClick(strips, Qt::LeftButton, {}, strips->tokenRect(9).center().toPoint());
        QCOMPARE(state.token(), 8);
        QCOMPARE(track.figureData().columns.first(), QString("base_index"));
    }
    void exportDrawsBasesAndSpacedPositions_data()
    {
        QTest::addColumn<int>("length");
        QTest::newRow("60 bases, letters fit") << 60;
        QTest::newRow("4096 tokens, thinned positions") << 4096;
    }
    void exportDrawsBasesAndSpacedPositions()
    {
        QFETCH(int, length);
        ExplorerState state;
        std::string bases;
        for (int i = 0; i < length - 1; ++i)
            bases += "ACGT"[i % 4];
        state.setRun(length == 60 ? goldenRun("preln_gelu", bases) : spikeRun(length, 3, 5));
        SequenceTrackView track(&state);
        track.resize(track.figureSize());
        QTemporaryDir tmp;
        const QString svg = tmp.path() + "/track.svg";
        exportFigure(track, svg);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList letters;
        std::vector<int> positions;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text")) {
                const QString t = xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
                bool number = false;
                const int n = t.toInt(&number);
                if (number)
                    positions.push_back(n);
                else if (t.size() == 1 && QString("ACGT").contains(t))
                    letters << t;
            }
        if (length == 60)
            QCOMPARE(letters.join(""), QString::fromStdString(bases)); // every base is drawn, in order
        QVERIFY(positions.size() >= 3);
        const int step = positions[1] - positions[0]; // one 1-2-5 step, and room for every label
        QVERIFY2(QList<int>({1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}).contains(step), qPrintable(QString::number(step)));
        for (std::size_t i = 1; i < positions.size(); ++i)
            QCOMPARE(positions[i] - positions[i - 1], step);
        const QFontMetricsF fm(track.font());
        const qreal widest = fm.horizontalAdvance(QString::number(positions.back()));
        QVERIFY2(static_cast<qreal>(positions.size()) * widest < track.figureSize().width(),
                 qPrintable(QString("%1 labels of %2 px in %3 px").arg(positions.size()).arg(widest).arg(track.figureSize().width())));
    }
};

QTEST_MAIN(TestSequenceTrackView)
#include "TestSequenceTrackView.moc"
