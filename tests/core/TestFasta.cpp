#include "io/FastaReader.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestFasta : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path write(const std::string& text)
    {
        const auto p = std::filesystem::path(tmp_.path().toStdString()) / "in.fa";
        writeText(p, text);
        return p;
    }

private slots:
    void multiRecordWrappedSoftMasked()
    {
        const auto r = readFasta(write("\n>seq1 a promoter\r\nACGTac\r\ngtNN\n\n>seq2\nTTTT\n"));
        QCOMPARE(r.size(), std::size_t{2});
        QCOMPARE(r[0].name, std::string("seq1"));
        QCOMPARE(r[0].description, std::string("a promoter"));
        QCOMPARE(r[0].sequence, std::string("ACGTacgtNN"));
        QCOMPARE(r[0].line, 2);
        QCOMPARE(r[1].sequence, std::string("TTTT"));
        QCOMPARE(r[1].line, 6);
    }
    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << "" << "no FASTA records";
        QTest::newRow("no header") << "ACGT\n" << ":1: sequence data before the first '>'";
        QTest::newRow("empty record") << ">a\n>b\nACGT\n" << ":1: record 'a' has no sequence";
        QTest::newRow("empty last record") << ">a\nAC\n>b\n" << ":3: record 'b' has no sequence";
        QTest::newRow("nameless") << ">\nACGT\n" << ":1: header has no name";
        QTest::newRow("digit") << ">a\nAC\nG7T\n" << ":3: '7' in record 'a' is not a sequence character";
        QTest::newRow("binary") << QString(">a\nA") + QChar(0x01) + "C\n" << ":2: byte 0x01";
    }
    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const auto path = write(text.toStdString());
        const auto msg = thrownMessage<FormatError>([&] { readFasta(path); });
        QVERIFY(msg.has_value());
        const QString m = QString::fromStdString(*msg);
        QVERIFY2(m.startsWith(QString::fromStdString(path.string())) && m.contains(expected), qPrintable(m));
    }
};

QTEST_GUILESS_MAIN(TestFasta)
#include "TestFasta.moc"
