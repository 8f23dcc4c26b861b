// The timeline and heads-over-time views on a run of the golden ehr_encoder: events in lanes on the
// broken axis, a click selects an event's token, its arcs' weights are the run's, hover names the
// event, alignment puts day 0 on the first anticoagulant.

#include "timeline/TimeGapView.h"
#include "timeline/TimelineView.h"

#include "common/RunData.h"
#include "ehr/EventReader.h"
#include "model/ehr_encoder/EhrModel.h"

#include "TestSupport.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace attn;
using namespace attn::widgets;

class TestTimelineView : public QObject {
    Q_OBJECT

    std::shared_ptr<const std::vector<Event>> events_;
    EhrTokens tokens_;
    ExplorerState state_;

    void ranGolden()
    {
        const auto dir = test::goldenDir("ehr_postln");
        const auto model = loadEhrModel(dir);
        events_ = std::make_shared<const std::vector<Event>>(readEvents(dir / "events.csv").table.events);
        tokens_ = tokenizeEvents(model->config(), *events_);
        auto result = std::make_shared<const RunResult>(model->run(tokens_, {}));
        state_.setRun(makeRunData(result, ehrTokenAxis(tokens_, *events_), model->config().encoder.labels, "subject 7"));
    }

private slots:
    void initTestCase() { ranGolden(); }

    void clickSelectsTheEventsToken()
    {
        TimelineView view(&state_);
        view.setRecord(events_, tokens_.source);
        view.resize(view.figureSize());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // the birth (1950) and the visits from 2011 are 61 years apart: that gap is compressed
        QVERIFY(!view.scale().breaks().empty());
        const std::size_t inr = tokens_.source[5]; // 2011-05-17, INR 2.4
        QCOMPARE((*events_)[inr].code, std::string("LOINC/6301-6"));
        QVERIFY(view.xOf(tokens_.source[1]) < view.xOf(tokens_.source[2]));
        const QPoint at(static_cast<int>(view.xOf(inr)), 0);
        // find the lane's y by asking where the event is
        int y = -1;
        for (int py = 0; py < view.height() && y < 0; ++py)
            if (view.eventAt(QPointF(at.x(), py)) == inr)
                y = py;
        QVERIFY(y >= 0);
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(at.x(), y));
        QCOMPARE(state_.token(), 5);
        QCOMPARE(view.selectedEvent(), std::optional<std::size_t>(inr));
        const std::vector<AttendedEvent> top = view.attended(3);
        QCOMPARE(top.size(), std::size_t{3});
        const RowVector row = state_.run().result->attention.row(state_.layer(), state_.head(), 5);
        QCOMPARE(static_cast<float>(top[0].weight), row[top[0].token]);
        QVERIFY(top[0].weight >= top[1].weight && top[1].weight >= top[2].weight);
        QVERIFY(std::abs(top[0].days - view.attended(16).front().days) < 1e-12);
        QVERIFY2(view.describeEvent(inr).contains("value 2.4"), qPrintable(view.describeEvent(inr)));
        QVERIFY(view.describeEvent(tokens_.source[2]).contains("days from the selected event"));
        view.setAllHeads(true);
        double mean = 0;
        for (int h = 0; h < state_.run().heads(); ++h)
            mean += state_.run().result->attention.weight(state_.layer(), h, 5, view.attended(1).front().token);
        QVERIFY(std::abs(view.attended(1).front().weight - mean / state_.run().heads()) < 1e-6);
    }
    void alignsOnTheFirstAnticoagulant()
    {
        TimelineView view(&state_);
        view.setRecord(events_, tokens_.source);
        QVERIFY(!view.alignedOn());
        QVERIFY(view.alignOnFirstAnticoagulant());
        QCOMPARE((*events_)[*view.alignedOn()].code, std::string("RXNORM/855332"));
        QVERIFY(!view.alignOnCode("LOINC/0000-0"));
        const double before = view.xOf(tokens_.source[10]);
        view.setCompressGaps(false);
        QVERIFY(view.scale().breaks().empty());
        QVERIFY(view.xOf(tokens_.source[10]) > before); // sixty years of nothing now take their room
    }
    void paintsArcsAndExportsData()
    {
        TimelineView view(&state_);
        view.setRecord(events_, tokens_.source);
        state_.selectToken(12);
        QImage image(view.figureSize(), QImage::Format_RGB32);
        QPainter painter(&image);
        view.paintFigure(painter, image.size());
        painter.end();
        int coloured = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 130; x < image.width() - 360; x += 2)
                coloured += image.pixelColor(x, y).hsvSaturation() > 80 ? 1 : 0;
        QVERIFY2(coloured > 200, qPrintable(QString::number(coloured)));
        const FigureData d = view.figureData();
        QCOMPARE(d.rows.size(), std::size_t{16});
        QCOMPARE(d.rows[0][1], QString::number(1)); // MEDS_BIRTH is token 1
    }
    void headsOverTimeFollowTheLayer()
    {
        TimeGapView gaps(&state_);
        QCOMPARE(gaps.profiles().size(), std::size_t{4});
        double total = 0;
        for (const double s : gaps.profiles()[0].share)
            total += s;
        QVERIFY(std::abs(total - 1.0) < 1e-6);
        QCOMPARE(gaps.figureData().array.shape, (std::vector<std::int64_t>{4, 8}));
        // the window's view computes a layer's profiles on a worker: the same numbers, later
        ExplorerState other;
        TimeGapView background(&other);
        background.setComputeInBackground(true);
        other.setRun(state_.run());
        QVERIFY(background.profiles().empty()); // not on the GUI thread
        QVERIFY(background.job().isRunning() || background.profiles().empty());
        QTRY_COMPARE(background.profiles().size(), std::size_t{4});
        QCOMPARE(background.profiles()[0].share, gaps.profiles()[0].share);
        other.clearRun();
        QVERIFY(background.profiles().empty());
    }
};

QTEST_MAIN(TestTimelineView)
#include "TestTimelineView.moc"
