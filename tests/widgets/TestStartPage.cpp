#include "start/StartPage.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using attn::widgets::StartPage;

class TestStartPage : public QObject {
    Q_OBJECT
private slots:
    void saysWhatCanBeOpened()
    {
        StartPage page;
        QVERIFY(page.openableText().contains("FASTA"));
        QVERIFY(page.openableText().contains("config.json"));
        QVERIFY(page.openableText().contains("model.safetensors"));
    }
    void buttonsRequestOpening()
    {
        StartPage page;
        page.show();
        QSignalSpy data(&page, &StartPage::openDataRequested);
        QSignalSpy model(&page, &StartPage::openModelRequested);
        QTest::mouseClick(page.findChild<QPushButton*>("openDataButton"), Qt::LeftButton);
        QCOMPARE(data.count(), 1);
        QCOMPARE(model.count(), 0);
        QTest::mouseClick(page.findChild<QPushButton*>("openModelButton"), Qt::LeftButton);
        QCOMPARE(model.count(), 1);
    }
};

QTEST_MAIN(TestStartPage)
#include "TestStartPage.moc"
