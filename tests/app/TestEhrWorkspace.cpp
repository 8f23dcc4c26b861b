// The EHR kind in the window: the demo opens an alert patient and runs; a MEDS Parquet dataset lists
// its subjects with their splits and runs the one chosen (read then, through DuckDB); a record
// that cannot be read leaves what was open.

#include "ehr/MedsDataset.h"
#include "common/RunComputation.h"
#include "common/SourceChooser.h"
#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "interpret/Attributions.h"
#include "interpret/Predictor.h"
#include "kinds/KindRegistry.h"
#include "kinds/ehr/EhrWorkspace.h"
#include "timeline/TimeGapView.h"
#include "timeline/TimelineView.h"

#include "AppTestSupport.h"
#include "TestSupport.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <fstream>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

kinds::EhrWorkspace& ehrWorkspace(MainWindow& w)
{
    return workspaceOf<kinds::EhrWorkspace>(w, "EHR");
}

const kinds::Kind& ehrKind()
{
    return kindNamed("EHR");
}

} // namespace

class TestEhrWorkspace : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void initTestCase() { useTestSettings("attnscope-ehr"); }
    void theTimelinesArcsFollowTheMapsSource()
    {
        // the demo patient, ALTI chosen in the map's Source box: the selected event's top attended events are
        // its row of the layer's ALTI map (the core's decomposition of the same run), the heads combined
        MainWindow w;
        w.resize(1920, 1080);
        w.show();
        QVERIFY(w.openDemo(ehrKind().demo()));
        QVERIFY(waitForRun(w));
        kinds::EhrWorkspace& e = ehrWorkspace(w);
        const int token = w.explorer().token();
        QVERIFY(token > 0);
        computeSource(w, "alti");
        QVERIFY(w.explorer().sourceMaps());
        const std::vector<LayerAttribution> layers = decomposeRun(*w.explorer().run().predictor, Interventions{}, AttributionMethod::Alti, nullptr);
        const std::vector<widgets::AttendedEvent> top = e.timeline()->attended(5);
        QCOMPARE(top.size(), std::size_t{5});
        const int layer = w.explorer().layer();
        for (const widgets::AttendedEvent& a : top)
            QVERIFY(std::abs(a.weight - static_cast<double>(layers[static_cast<std::size_t>(layer)].alti(token, a.token))) < 1e-6);
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty())
            w.grab().save(QString::fromUtf8(dir) + "/source-alti-ehr-1920.png");
    }
    void theDemoOpensAnAlertPatientAndRuns()
    {
        MainWindow w;
        QVERIFY(w.openDemo(ehrKind().demo()));
        QVERIFY(waitForRun(w));
        kinds::EhrWorkspace& e = ehrWorkspace(w);
        QCOMPARE(e.subjects().size(), std::size_t{1});
        const widgets::RunData& run = w.explorer().run();
        QCOMPARE(run.axis.unit, std::string("days"));
        QCOMPARE(w.explorer().token(), run.length() - 1); // the most recent event is selected
        QVERIFY(e.timeline()->selectedEvent().has_value());
        QCOMPARE(e.timeline()->attended(5).size(), std::size_t{5});
        QVERIFY(e.timeline()->alignedOn().has_value()); // day 0: the warfarin
        QCOMPARE(e.timeGap()->profiles().size(), std::size_t{4});
        QVERIFY(e.dataSummaryHtml().contains("1 subject"));
    }
    void aMedsParquetDatasetListsItsSubjectsAndRunsTheOneChosen()
    {
        // the golden record (subject 7) and a short one (subject 8), in MEDS CSV, then Parquet
        const std::filesystem::path root = tmp_.path().toStdString();
        std::filesystem::create_directories(root / "csv" / "data");
        std::filesystem::create_directories(root / "csv" / "metadata");
        std::filesystem::copy_file(goldenDir("ehr") / "events.csv", root / "csv" / "data" / "0.csv");
        std::ofstream(root / "csv" / "data" / "0.csv", std::ios::app) << "8,2020-01-01T00:00:00Z,LOINC/6301-6,2.0,\n"
                                                                        << "8,2020-02-01T00:00:00Z,RXNORM/855332,,\n";
        std::ofstream(root / "csv" / "metadata" / "subject_splits.csv") << "subject_id,split\n7,held_out\n8,train\n";
        MedsDataset::convertCsv(root / "csv", root / "meds");
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString(goldenDir("ehr").string())));
        QVERIFY(w.openPath(QString::fromStdString((root / "meds").string())));
        QVERIFY(waitForRun(w));
        kinds::EhrWorkspace& e = ehrWorkspace(w);
        QCOMPARE(e.subjects(), (std::vector<std::string>{"7", "8"}));
        QCOMPARE(w.findChild<QComboBox*>("subjectBox")->itemText(0), QString("7  (held_out)"));
        QCOMPARE(w.explorer().run().length(), 13); // max_events 12 of 16, and [CLS]
        QSignalSpy ran(&e, &kinds::Workspace::ran);
        e.setSubject("8");
        QVERIFY(ran.wait(20000));
        QCOMPARE(w.explorer().run().length(), 3);
        QCOMPARE(w.explorer().run().name, QString("subject 8"));
        // a file that is not a record: an error, and subject 8 stays
        std::ofstream(root / "broken.ndjson") << "{\"resourceType\": \"Patient\", \"id\": \"1\"}\n{\"resourceType\":\n";
        w.openPath(QString::fromStdString((root / "broken.ndjson").string()));
        QTRY_VERIFY_WITH_TIMEOUT(!e.runJob().isRunning(), 5000);
        QTest::qWait(200);
        QCOMPARE(e.subject(), std::string("8"));
        QCOMPARE(w.explorer().run().name, QString("subject 8"));
    }
};

QTEST_MAIN(TestEhrWorkspace)
#include "TestEhrWorkspace.moc"
