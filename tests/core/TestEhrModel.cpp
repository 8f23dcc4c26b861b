// The EHR model family against its PyTorch reference (tools/ehr_model.py, golden files by
// tools/make_ehr_golden.py): events read from a MEDS CSV, tokenised (static rows skipped, ties in
// input order, unknown codes, values with and without stats, the earliest events left out beyond
// max_events), embedded with the time and value CVEs, encoded, classified.

#include "ehr/EventReader.h"
#include "io/Npy.h"
#include "rundir/RunExport.h"
#include "model/ehr_encoder/EhrModel.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

namespace {

std::vector<Event> goldenEvents(const std::filesystem::path& dir)
{
    return readEvents(dir / "events.csv").table.events;
}

} // namespace

class TestEhrModel : public QObject {
    Q_OBJECT

    void checkGolden(const char* name, int layers)
    {
        const auto dir = goldenDir(name);
        const auto model = loadEhrModel(dir);
        const EhrTokens tokens = tokenizeEvents(model->config(), goldenEvents(dir));
        const Tensor expected = readNpy(dir / "expected/tokens.npy"); // ids, t, z, m
        const auto n = static_cast<std::size_t>(tokens.size());
        QCOMPARE(expected.shape, (std::vector<std::int64_t>{4, static_cast<std::int64_t>(n)}));
        for (std::size_t i = 0; i < n; ++i) {
            QCOMPARE(static_cast<float>(tokens.ids[i]), expected.data[i]);
            QCOMPARE(tokens.time[i], expected.data[n + i]); // the same double arithmetic, rounded once
            QCOMPARE(tokens.value[i], expected.data[2 * n + i]);
            QCOMPARE(tokens.hasValue[i], expected.data[3 * n + i]);
        }
        const RunResult r = model->run(tokens, {});
        const Tensor logits = readNpy(dir / "expected/logits.npy");
        QVERIFY2(maxAbsDiff(r.logits.data(), logits.data.data(), logits.data.size()) < 1e-5f, "logits differ");
        QVERIFY2(maxAbsDiff(r.hidden, readNpy(dir / "expected/hidden.npy")) < 1e-5f, "hidden states differ");
        for (int l = 0; l < layers; ++l) {
            const Tensor e = readNpy(dir / ("expected/attention_layer_0" + std::to_string(l) + ".npy"));
            QCOMPARE(e.shape, (std::vector<std::int64_t>{4, static_cast<std::int64_t>(n), static_cast<std::int64_t>(n)}));
            std::vector<float> a(e.data.size());
            r.attention.copyLayer(l, a.data());
            const float diff = maxAbsDiff(a.data(), e.data.data(), a.size());
            QVERIFY2(diff < 1e-6f, qPrintable(QString("layer %1 differs by %2").arg(l).arg(diff)));
        }
    }

private slots:
    void preNormModelMatchesPyTorch() { checkGolden("ehr", 2); }
    void postNormModelMatchesPyTorch() { checkGolden("ehr_postln", 1); }

    void tokensFollowTheRules()
    {
        const auto dir = goldenDir("ehr_postln");
        const auto model = loadEhrModel(dir);
        const std::vector<Event> events = goldenEvents(dir);
        const EhrTokens t = tokenizeEvents(model->config(), events);
        const EhrConfig& c = model->config();
        QCOMPARE(t.timedEvents, std::size_t{16}); // 17 rows, one static (GENDER//F)
        QCOMPARE(t.size(), 17);
        QCOMPARE(t.dropped, std::size_t{0});
        QCOMPARE(droppedEventsMessage(t, c), std::string());
        QCOMPARE(t.ids[0], EhrConfig::kCls);
        QCOMPARE(t.time[0], 0.0f);
        QCOMPARE(t.ids[1], c.idOf("MEDS_BIRTH")); // the first event: t = 0
        QCOMPARE(t.time[1], 0.0f);
        // the three-way tie at 2011-05-03 keeps the order of the file
        QCOMPARE(t.ids[2], c.idOf("SNOMED/185349003"));
        QCOMPARE(t.ids[3], c.idOf("RXNORM/855332"));
        QCOMPARE(t.ids[4], c.idOf("LOINC/6301-6"));
        QCOMPARE(t.hasValue[4], 1.0f);
        QVERIFY(std::abs(t.value[4] - static_cast<float>((1.1 - 1.8) / 0.9)) < 1e-7f);
        QCOMPARE(t.unknown, 3); // SNOMED/999999999, LOINC/2339-0 and LOINC/72166-2 are not in the vocabulary
        const auto glucoseEvent = static_cast<std::size_t>(
            std::find_if(events.begin(), events.end(), [](const Event& e) { return e.code == "LOINC/2339-0"; }) - events.begin());
        const auto glucose = std::find(t.source.begin(), t.source.end(), glucoseEvent) - t.source.begin(); // a number, no stats
        QVERIFY(events[glucoseEvent].numeric.has_value());
        QCOMPARE(t.ids[static_cast<std::size_t>(glucose)], EhrConfig::kUnk);
        QCOMPARE(t.hasValue[static_cast<std::size_t>(glucose)], 0.0f);
        QCOMPARE(events[static_cast<std::size_t>(t.source.back())].code, std::string("SNOMED/44054006")); // 2019-03, the latest
    }
    void theMostRecentEventsAreKeptWithAMessage()
    {
        const auto dir = goldenDir("ehr");
        const auto model = loadEhrModel(dir);
        const std::vector<Event> events = goldenEvents(dir);
        const EhrTokens t = tokenizeEvents(model->config(), events);
        QCOMPARE(t.size(), 13);
        QCOMPARE(t.dropped, std::size_t{4}); // birth and the tie of three
        QCOMPARE(formatUtc(t.origin), std::string("2011-05-17T08:30:00Z"));
        const std::string message = droppedEventsMessage(t, model->config());
        QVERIFY2(message.find("16 timed events") != std::string::npos && message.find("at most 12 (max_events)") != std::string::npos
                     && message.find("earliest 4 were left out") != std::string::npos,
                 message.c_str());
        EhrTokens tooMany = t;
        for (int i = 0; i < 5; ++i) {
            tooMany.ids.push_back(3);
            tooMany.time.push_back(1.0f);
            tooMany.value.push_back(0.0f);
            tooMany.hasValue.push_back(0.0f);
            tooMany.source.push_back(0);
        }
        const auto refused = thrownMessage<ShapeError>([&] { model->run(tooMany, {}); });
        QVERIFY(refused && refused->find("at most 12 events (max_events), not 17") != std::string::npos);
    }
    void aRecordWithNoTimedEventIsOnlyCls()
    {
        const auto model = loadEhrModel(goldenDir("ehr"));
        Event gender;
        gender.code = "GENDER//F";
        const EhrTokens t = tokenizeEvents(model->config(), {gender});
        QCOMPARE(t.size(), 1);
        const RunResult r = model->run(t, {});
        QCOMPARE(r.logits.size(), Index{2});
        QVERIFY(std::isfinite(r.logits[0]));
    }
    void tokenAxisIsInDaysWithTheTokensColumns()
    {
        const auto dir = goldenDir("ehr_postln");
        const auto model = loadEhrModel(dir);
        const std::vector<Event> events = goldenEvents(dir);
        const EhrTokens t = tokenizeEvents(model->config(), events);
        const TokenAxis axis = ehrTokenAxis(t, events);
        QCOMPARE(axis.unit, std::string("days"));
        QVERIFY(!axis.placed(0));
        QCOMPARE(axis.labels[5], std::string("LOINC/6301-6")); // 2011-05-17, 14 days after the tie
        const double birthToTie = axis.position[2][0];
        QVERIFY(std::abs(axis.distance(2, 5) - 14.0) < 1e-9);
        QVERIFY(birthToTie > 61 * 365.0 && birthToTie < 62 * 365.0);
        const std::string tsv = tokenTable(axis);
        QVERIFY2(tsv.rfind("index\tcode\ttime\tvalue\tdisplay\n0\t[CLS]\t\t\t\n", 0) == 0, tsv.c_str());
        QVERIFY2(tsv.find("\n5\tLOINC/6301-6\t2011-05-17T08:30:00Z\t2.4\t\n") != std::string::npos, tsv.c_str());
        QVERIFY2(tsv.find("\tLOINC/72166-2\t2011-08-31T08:30:00Z\tNever smoker\t") != std::string::npos, tsv.c_str());
    }
};

QTEST_GUILESS_MAIN(TestEhrModel)
#include "TestEhrModel.moc"
