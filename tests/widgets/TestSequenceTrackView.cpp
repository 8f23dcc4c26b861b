// The sequence track: rollout and head rows follow the selection and the rollout controls.

#include "track/SequenceTrackView.h"

#include "ViewTestSupport.h"

#include <QComboBox>
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
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, {}, 0)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY((track.headRow() - r.attention.head(0, 0).row(0)).cwiseAbs().maxCoeff() == 0.0f);
        SequenceStrips* strips = track.strips();
        QTest::mouseClick(strips, Qt::LeftButton, {}, strips->tokenRect(4).center().toPoint());
        QCOMPARE(state.token(), 4);
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
        const RunResult& r = *state.run().result;
        const RolloutOptions o{HeadFusion::Max, 0.0f, 1};
        QVERIFY((track.rollout() - rolloutRow(r.attention, r.keyPadding, o, 0)).cwiseAbs().maxCoeff() == 0.0f);
        QVERIFY(track.figureTitle().contains("max fusion") && track.figureTitle().contains("from layer 1"));
        const FigureData d = track.figureData();
        QCOMPARE(d.array.shape, (std::vector<std::int64_t>{2, 13}));
        QCOMPARE(d.rows.size(), std::size_t{13});
    }
};

QTEST_MAIN(TestSequenceTrackView)
#include "TestSequenceTrackView.moc"
