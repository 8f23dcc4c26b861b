// FHIR and event-table times: every form FHIR R4 allows, partial dates kept on their calendar day
// with their precision, offsets applied, and the invalid ones refused.

#include "ehr/EventTime.h"

#include <QTest>

using namespace attn;

class TestEhrTimes : public QObject {
    Q_OBJECT
private slots:
    void fhirTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("utc");       // "" when invalid
        QTest::addColumn<QString>("precision");
        QTest::addColumn<bool>("withoutOffset");
        QTest::newRow("year") << "2019" << "2019-01-01T00:00:00Z" << "year" << false;
        QTest::newRow("month") << "2019-03" << "2019-03-01T00:00:00Z" << "month" << false;
        QTest::newRow("day") << "2019-03-31" << "2019-03-31T00:00:00Z" << "day" << false;
        QTest::newRow("leap day") << "2020-02-29" << "2020-02-29T00:00:00Z" << "day" << false;
        QTest::newRow("UTC") << "2019-03-01T10:11:12Z" << "2019-03-01T10:11:12Z" << "second" << false;
        QTest::newRow("Synthea offset") << "2009-06-26T05:04:09-04:00" << "2009-06-26T09:04:09Z" << "second" << false;
        QTest::newRow("offset across midnight") << "2019-03-01T01:00:00+02:00" << "2019-02-28T23:00:00Z" << "second" << false;
        QTest::newRow("half-hour offset") << "2019-03-01T10:00:00-05:30" << "2019-03-01T15:30:00Z" << "second" << false;
        QTest::newRow("fraction") << "2015-02-07T13:28:17.239+02:00" << "2015-02-07T11:28:17Z" << "second" << false;
        QTest::newRow("leap second") << "2016-12-31T23:59:60Z" << "2017-01-01T00:00:00Z" << "second" << false;
        QTest::newRow("before 1970") << "1944-11-17" << "1944-11-17T00:00:00Z" << "day" << false;
        QTest::newRow("no offset: a warning") << "2019-03-01T10:00:00" << "2019-03-01T10:00:00Z" << "second" << true;
        QTest::newRow("month 13") << "2019-13" << "" << "" << false;
        QTest::newRow("30 February") << "2019-02-30" << "" << "" << false;
        QTest::newRow("29 February 2019") << "2019-02-29" << "" << "" << false;
        QTest::newRow("one-digit month") << "2019-3-01" << "" << "" << false;
        QTest::newRow("hour 24") << "2019-03-01T24:00:00Z" << "" << "" << false;
        QTest::newRow("no seconds") << "2019-03-01T10:00Z" << "" << "" << false;
        QTest::newRow("space for T") << "2019-03-01 10:00:00Z" << "" << "" << false;
        QTest::newRow("offset 15 hours") << "2019-03-01T10:00:00+15:00" << "" << "" << false;
        QTest::newRow("offset without colon") << "2019-03-01T10:00:00+0200" << "" << "" << false;
        QTest::newRow("trailing text") << "2019-03-01T10:00:00Zx" << "" << "" << false;
        QTest::newRow("words") << "yesterday" << "" << "" << false;
        QTest::newRow("empty") << "" << "" << "" << false;
    }
    void fhirTimes()
    {
        QFETCH(QString, text);
        QFETCH(QString, utc);
        QFETCH(QString, precision);
        QFETCH(bool, withoutOffset);
        const std::optional<ParsedTime> t = parseFhirTime(text.toStdString());
        QCOMPARE(t.has_value(), !utc.isEmpty());
        if (!t)
            return;
        QCOMPARE(QString::fromStdString(formatUtc(t->time.seconds)), utc);
        QCOMPARE(QString(precisionName(t->time.precision)), precision);
        QCOMPARE(t->withoutOffset, withoutOffset);
    }
    void tableTimesAlsoTakeSpacesAndMinutes()
    {
        QCOMPARE(formatUtc(parseTableTime("2019-03-01 10:00:00")->time.seconds), std::string("2019-03-01T10:00:00Z"));
        QCOMPARE(formatUtc(parseTableTime("2019-03-01 10:07")->time.seconds), std::string("2019-03-01T10:07:00Z"));
        QCOMPARE(formatUtc(parseTableTime("2019-03-01T10:00:00.5+01:00")->time.seconds), std::string("2019-03-01T09:00:00Z"));
        QVERIFY(!parseTableTime("2019-03-01 10"));
        QVERIFY(!parseTableTime("01/03/2019"));
    }
    void periodsEndWhereTheirCalendarUnitEnds()
    {
        const auto end = [](const char* text) { return formatUtc(parseFhirTime(text)->time.periodEnd()); };
        QCOMPARE(end("2019"), std::string("2020-01-01T00:00:00Z"));
        QCOMPARE(end("2019-12"), std::string("2020-01-01T00:00:00Z"));
        QCOMPARE(end("2020-02"), std::string("2020-03-01T00:00:00Z"));
        QCOMPARE(end("2019-03-31"), std::string("2019-04-01T00:00:00Z"));
        QCOMPARE(end("2019-03-31T10:00:00Z"), std::string("2019-03-31T10:00:01Z"));
        QCOMPARE(daysBetween(parseFhirTime("2019-01-01")->time.seconds, parseFhirTime("2020-05-27T12:00:00Z")->time.seconds), 512.5);
    }
};

QTEST_APPLESS_MAIN(TestEhrTimes)
#include "TestEhrTimes.moc"
