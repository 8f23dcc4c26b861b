#include "start/StartPage.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using attn::widgets::StartPage;

class TestStartPage : public QObject {
    Q_OBJECT
    StartPage* make() { return new StartPage({"FASTA files of DNA", "folders of DICOM files"}, {"torch_encoder", "ct_encoder"}, {"DNA demo", "CT demo"}); }

private slots:
    void saysWhatCanBeOpened()
    {
        std::unique_ptr<StartPage> page(make());
        QVERIFY(page->openableText().contains("FASTA files of DNA"));
        QVERIFY(page->openableText().contains("folders of DICOM files"));
        QVERIFY(page->openableText().contains("<tt>ct_encoder</tt>"));
        QVERIFY(page->openableText().contains("config.json"));
        QVERIFY(page->openableText().contains("model.safetensors"));
    }
    void buttonsRequestOpening()
    {
        std::unique_ptr<StartPage> page(make());
        page->show();
        QSignalSpy file(page.get(), &StartPage::openFileRequested);
        QSignalSpy folder(page.get(), &StartPage::openFolderRequested);
        QSignalSpy demo(page.get(), &StartPage::demoRequested);
        QTest::mouseClick(page->findChild<QPushButton*>("openFileButton"), Qt::LeftButton);
        QCOMPARE(file.count(), 1);
        QCOMPARE(folder.count(), 0);
        QTest::mouseClick(page->findChild<QPushButton*>("openFolderButton"), Qt::LeftButton);
        QCOMPARE(folder.count(), 1);
        QTest::mouseClick(page->findChild<QPushButton*>("demoButton1"), Qt::LeftButton);
        QCOMPARE(demo.count(), 1);
        QCOMPARE(demo.first().first().toInt(), 1);
    }
};

QTEST_MAIN(TestStartPage)
#include "TestStartPage.moc"
