// The EHR kind in the window: the demo opens an alert patient and runs; a MEDS Parquet dataset lists
// its subjects with their splits and runs the one chosen (read then, through DuckDB); a record
// that cannot be read leaves what was open.

#include "ehr/MedsDataset.h"
#include "gui/MainWindow.h"
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
