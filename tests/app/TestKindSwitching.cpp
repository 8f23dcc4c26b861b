// Every demo opened after every other (all 16 ordered pairs, a kind after itself included), and a
// session reopened over another kind: every view shows the open input's run, with that kind's
// default selection, and the window keeps its size.

#include "gui/ExplorerPage.h"
#include "gui/Session.h"
#include "heads/HeadGridView.h"
#include "map/AttentionMapView.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"
#include "track/SequenceTrackView.h"
#include "kinds/dna/DnaWorkspace.h"

#include "AppTestSupport.h"
#include "TestSupport.h"

#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

const QSize kLaptop(1280, 800);

/// Opens a kind's demo and waits until its new run is shown (a study loads in the background,
/// so the previous run may be shown until then).
bool openDemoAndWait(MainWindow& w, const std::string& kind)
{
    kinds::Workspace* target = w.workspace(QString::fromStdString(kind));
    const auto before = target->explorer().run().result;
    if (!w.openDemo(kindNamed(kind).demo()))
        return false;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 120000) {
        const bool ran = w.shownWorkspace() == target && w.explorer().hasRun() && w.explorer().run().result != before;
        if (ran && !target->runJob().isRunning())
            return true;
        QTest::qWait(20);
    }
    return false;
}

/// A selection no demo starts from, so that one carried over shows.
void selectAwayFromTheDefault(MainWindow& w)
{
    widgets::ExplorerState& e = w.explorer();
    e.select(e.run().layers() - 1, e.run().heads() - 1);
    e.selectToken(std::min(3, e.run().length() - 1));
}

QString prediction(MainWindow& w)
{
    return w.findChild<QLabel*>("prediction")->text();
}

} // namespace

class TestKindSwitching : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void initTestCase() { useTestSettings("attnscope-kind-switching"); }

    void everyViewFollowsTheOpenInput_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        for (const kinds::Kind* a : kinds::kindRegistry())
            for (const kinds::Kind* b : kinds::kindRegistry()) {
                const QString first = QString::fromStdString(a->name()), second = QString::fromStdString(b->name());
                QTest::newRow(qPrintable(first + " then " + second)) << first << second;
            }
    }
    void everyViewFollowsTheOpenInput()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        MainWindow w;
        w.resize(kLaptop);
        w.show();
        QVERIFY(openDemoAndWait(w, first.toStdString()));
        const auto firstRun = w.explorer().run().result;
        selectAwayFromTheDefault(w);
        QVERIFY(openDemoAndWait(w, second.toStdString()));

        kinds::Workspace* shown = w.shownWorkspace();
        QCOMPARE(QString::fromStdString(shown->kind().name()), second);
        const widgets::RunData& run = w.explorer().run();
        QVERIFY(run.result != firstRun); // a new run, even of the same kind
        QCOMPARE(run.result, shown->explorer().run().result);
        // the shared views draw that run: their titles name its input
        const QString quoted = "“" + run.name + "”";
        QVERIFY2(w.explorerPage()->mapView()->figureTitle().endsWith(quoted), qPrintable(w.explorerPage()->mapView()->figureTitle()));
        QVERIFY(w.explorerPage()->tokenView()->figureTitle().endsWith(quoted));
        QVERIFY(w.findChild<widgets::HeadGridView*>()->figureTitle().endsWith(quoted));
        QVERIFY(w.findChild<widgets::HeadStatsView*>()->figureTitle().endsWith(quoted));
        // the header names the input it describes
        QVERIFY2(prediction(w).contains(run.name.toHtmlEscaped()), qPrintable(prediction(w)));
        QVERIFY2(prediction(w).contains(QFileInfo(shown->dataPath()).fileName().toHtmlEscaped()) || QFileInfo(shown->dataPath()).fileName() == run.name,
                 qPrintable(prediction(w)));
        // the kind's default selection: layer 0, head 0, and no token (EHR: the most recent event)
        QCOMPARE(w.explorer().layer(), 0);
        QCOMPARE(w.explorer().head(), 0);
        QCOMPARE(w.explorer().token(), second == "EHR" ? run.length() - 1 : -1);
        QVERIFY(!w.explorer().comparing());
        // the sequence track belongs to DNA: shown with its run, hidden otherwise
        auto* track = w.findChild<widgets::SequenceTrackView*>();
        QCOMPARE(track->isVisibleTo(&w), second == "DNA");
        if (second == "DNA")
            QVERIFY(track->figureTitle().endsWith(quoted));
        // the other kind's run is still its own, with the selection made on it
        if (first != second) {
            kinds::Workspace* other = w.workspace(first);
            QCOMPARE(other->explorer().run().result, firstRun);
            QCOMPARE(other->explorer().layer(), other->explorer().run().layers() - 1);
        }
        QCOMPARE(w.size(), kLaptop); // the window never resizes itself
    }

    void aSessionReopenedOverAnotherKindNeverShowsThePreviousResult()
    {
        const QString session = tmp_.path() + "/ct.attnscope";
        {
            MainWindow w;
            QVERIFY(openDemoAndWait(w, "CT"));
            w.explorer().select(1, 2);
            QVERIFY(w.sessions().save(session));
        }
        MainWindow w;
        w.resize(kLaptop);
        w.show();
        QVERIFY(openDemoAndWait(w, "DNA"));
        const auto dnaRun = w.explorer().run().result;
        QSignalSpy restored(&w.sessions(), &app::SessionController::restored);
        QVERIFY(w.sessions().open(session));
        QVERIFY(!w.explorer().hasRun()); // at once: no previous result, and the header says why
        QVERIFY2(prediction(w).isEmpty() || prediction(w).contains("reopening"), qPrintable(prediction(w)));
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("summaryPage"));
        QVERIFY(qobject_cast<QTextBrowser*>(pages->currentWidget())->toPlainText().contains("reopening ct.attnscope"));
        QElapsedTimer t;
        t.start();
        while (restored.isEmpty() && t.elapsed() < 120000) {
            QVERIFY(w.explorer().run().result != dnaRun); // not even for a moment
            if (w.explorer().hasRun())
                QCOMPARE(w.explorer().run().axis.unit, std::string("mm"));
            else if (w.shownWorkspace())
                QVERIFY2(prediction(w).contains("reopening"), qPrintable(prediction(w)));
            QTest::qWait(5);
        }
        QCOMPARE(restored.count(), 1);
        QCOMPARE(QString::fromStdString(w.shownWorkspace()->kind().name()), QString("CT"));
        QCOMPARE(w.explorer().layer(), 1); // the session's selection, on its own run
        QCOMPARE(w.explorer().head(), 2);
        QVERIFY(!prediction(w).contains("reopening"));
        QCOMPARE(w.workspace("DNA")->explorer().run().result, dnaRun); // the DNA run is still its own
        QCOMPARE(w.size(), kLaptop);
    }

    void aSessionThatFailsShowsAgainWhatWasOpen()
    {
        const QString broken = tmp_.path() + "/not-dicom";
        QDir().mkpath(broken);
        writeText((broken + "/a.dcm").toStdString(), "DICM? no");
        const QString session = tmp_.path() + "/broken.attnscope";
        writeText(session.toStdString(), QString(R"({"attnscope_session": 1, "model": "", "kind": "CT", "data": "%1",
                                                    "kind_state": {}, "selection": {}, "display": {}})").arg(broken).toStdString());
        MainWindow w;
        QVERIFY(openDemoAndWait(w, "DNA"));
        const auto dnaRun = w.explorer().run().result;
        w.sessions().open(session);
        QElapsedTimer t;
        t.start();
        while (w.lastError().isEmpty() && t.elapsed() < 60000)
            QTest::qWait(10);
        QVERIFY(!w.lastError().isEmpty());
        QCOMPARE(QString::fromStdString(w.shownWorkspace()->kind().name()), QString("DNA")); // what was open is back
        QCOMPARE(w.explorer().run().result, dnaRun);
        QVERIFY(!prediction(w).contains("reopening"));
    }
};

QTEST_MAIN(TestKindSwitching)
#include "TestKindSwitching.moc"
