// What the timeline and heads-over-time views compute, without Qt's painting: the broken time
// axis, the lanes of events, and the attention share by time gap.

#include "ehr/EventLanes.h"
#include "ehr/TimelineScale.h"
#include "interpret/TimeGapProfile.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;

namespace {

Event makeEvent(const std::string& code, const std::string& resource = "", const std::string& display = "")
{
    Event e;
    e.code = code;
    e.resource = resource;
    e.display = display;
    return e;
}

} // namespace

class TestEhrTimeline : public QObject {
    Q_OBJECT
private slots:
    void longEmptyGapsAreCompressed()
    {
        // visits on days 0-10 and 3000-3010, a span on 20-40: one gap of 2960 days
        const TimelineScale s = TimelineScale::compressed({{3000, 3010}, {0, 0}, {10, 10}, {20, 40}, {3010, 3010}}, 365);
        QCOMPARE(s.breaks().size(), std::size_t{1});
        const AxisBreak& b = s.breaks().front();
        QCOMPARE(b.fromDay, 40.0);
        QCOMPARE(b.toDay, 3000.0);
        QCOMPARE(s.toAxis(0), 0.0);
        QCOMPARE(s.toAxis(25), 25.0);                 // before the break: one to one
        const double width = b.axisTo - b.axisFrom;   // 3 % of the 50 days kept, at least a day
        QCOMPARE(width, 1.5);
        QCOMPARE(s.toAxis(3005), 40 + width + 5);     // after it: shifted by the gap less its width
        QCOMPARE(s.axisLast(), 40 + width + 10);
        QCOMPARE(s.toDay(s.toAxis(3005)), 3005.0);    // and back
        QVERIFY(std::abs(s.toDay(b.axisFrom + width / 2) - 1520.0) < 1e-9); // inside the break: across the gap
        // gaps under the threshold stay true
        const TimelineScale near = TimelineScale::compressed({{0, 0}, {300, 300}}, 365);
        QVERIFY(near.breaks().empty());
        QCOMPARE(near.toAxis(300), 300.0);
        const TimelineScale one = TimelineScale::compressed({{5, 5}}, 365);
        QVERIFY(one.axisLast() > one.axisFirst()); // one instant still has a width
    }
    void eventsGoToTheirLanes()
    {
        QCOMPARE(laneOf(makeEvent("SNOMED/185347001", "Encounter")), EventLane::Encounters);
        QCOMPARE(laneOf(makeEvent("SNOMED/44054006", "Condition")), EventLane::Conditions);
        QCOMPARE(laneOf(makeEvent("RXNORM/855332", "MedicationRequest")), EventLane::Medications);
        QCOMPARE(laneOf(makeEvent("LOINC/8867-4", "Observation")), EventLane::LabsAndVitals);
        QCOMPARE(laneOf(makeEvent("SNOMED/73761001", "Procedure")), EventLane::Procedures);
        QCOMPARE(laneOf(makeEvent("CVX/140", "Immunization")), EventLane::Immunizations);
        // a table's rows, by the code's system
        QCOMPARE(laneOf(makeEvent("LOINC/6301-6", "data/train.csv")), EventLane::LabsAndVitals);
        QCOMPARE(laneOf(makeEvent("RXNORM/855332")), EventLane::Medications);
        QCOMPARE(laneOf(makeEvent("ICD10CM/I48.91")), EventLane::Conditions);
        QCOMPARE(laneOf(makeEvent("MEDS_BIRTH", "Patient")), EventLane::Other);
        QVERIFY(isAnticoagulant(makeEvent("RXNORM/855332")));
        QVERIFY(isAnticoagulant(makeEvent("RXNORM/1364445", "MedicationRequest", "apixaban 5 MG Oral Tablet")));
        QVERIFY(!isAnticoagulant(makeEvent("RXNORM/310965", "MedicationRequest", "Ibuprofen 200 MG Oral Tablet")));
    }
    void attentionShareByTimeGap()
    {
        // [CLS] and three events on days 0, 0.5 and 400; head 0 looks at the nearest other event,
        // head 1 at the farthest
        TokenAxis axis;
        axis.unit = "days";
        axis.labels = {"[CLS]", "a", "b", "c"};
        axis.position = {{TokenAxis::kNone, 0, 0}, {0, 0, 0}, {0.5, 0, 0}, {400, 0, 0}};
        StorePlan plan;
        AttentionStore store(1, 2, 4, plan);
        Matrix near(4, 4), far(4, 4);
        near << 0.25, 0.25, 0.25, 0.25, //
            0.5, 0.0, 0.5, 0.0,          // a -> b (0.5 d)
            0.0, 0.4, 0.6, 0.0,          // b -> a (0.5 d); itself is left out
            0.2, 0.0, 0.8, 0.0;          // c -> b (399.5 d)
        far << 0.25, 0.25, 0.25, 0.25, //
            0.0, 0.0, 0.0, 1.0,         // a -> c (400 d)
            0.0, 0.0, 0.0, 1.0,         // b -> c (399.5 d)
            0.0, 1.0, 0.0, 0.0;         // c -> a (400 d)
        store.writeRows(0, 0, 0, near);
        store.writeRows(0, 1, 0, far);
        const std::vector<HeadTimeGap> p = timeGapProfile(store, axis, 0);
        QCOMPARE(p.size(), std::size_t{2});
        QVERIFY(std::abs(p[0].share[0] - 2.0 / 3.0) < 1e-6); // two of three queries all under a day
        QVERIFY(std::abs(p[0].share[5] - 1.0 / 3.0) < 1e-6); // one in [365, 1095)
        QVERIFY(std::abs(p[0].meanDays - (0.5 + 0.5 + 399.5) / 3) < 1e-5);
        QVERIFY(std::abs(p[0].backShare - 2.0 / 3.0) < 1e-6); // b -> a and c -> b look back, a -> b forward
        QVERIFY(std::abs(p[1].share[5] - 1.0) < 1e-6);
        QVERIFY(std::abs(p[1].meanDays - (400 + 399.5 + 400) / 3) < 1e-4);
        QVERIFY(std::abs(p[1].backShare - 1.0 / 3.0) < 1e-6);
        const std::vector<double> chance = uniformTimeGapShare(axis); // a: b, c; b: a, c; c: a, b
        QVERIFY(std::abs(chance[0] - 1.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(chance[5] - 2.0 / 3.0) < 1e-12);
        QVERIFY(attn::test::thrownMessage<ShapeError>([&] { timeGapProfile(store, axis, 1); }).has_value());
    }
};

QTEST_GUILESS_MAIN(TestEhrTimeline)
#include "TestEhrTimeline.moc"
