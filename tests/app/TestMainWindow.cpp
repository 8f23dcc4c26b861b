#include "gui/MainWindow.h"
#include "start/StartPage.h"

#include "TestSupport.h"

#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

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
        QCOMPARE(pages->currentWidget()->objectName(), QString("summaryPage"));
        const QString modelText = w.findChild<QDockWidget*>("dockModel")->findChild<QTextBrowser*>()->toPlainText();
        QVERIFY2(modelText.contains("torch_encoder") && modelText.contains("3 x 4"), qPrintable(modelText));
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
