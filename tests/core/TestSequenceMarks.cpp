// BED intervals and motifs on a DNA run's bases and tokens (core/io/BedFile, core/interpret/SequenceMarks):
// the annotations of DNA enrichment.

#include "interpret/SequenceMarks.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestSequenceMarks : public QObject {
    Q_OBJECT

private slots:
    void bedIsRead()
    {
        const auto b = parseBed("# a comment\ntrack name=sites\nrec1\t3\t5\tsite\t0\t+\nrec2 0 1\n\n", "sites.bed");
        QCOMPARE(b.size(), std::size_t{2});
        QCOMPARE(b[0].name, std::string("rec1"));
        QCOMPARE(b[0].start, 3L);
        QCOMPARE(b[0].end, 5L);
        QCOMPARE(b[1].name, std::string("rec2"));
    }
    void malformedBedIsRefusedByLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("two fields") << "rec1\t3\n" << "sites.bed line 1: expected a sequence name, a 0-based start and an end";
        QTest::newRow("negative start") << "rec1\t-3\t5\n" << "sites.bed line 1: the start must be a whole number from 0, not \"-3\"";
        QTest::newRow("text end") << "# c\nrec1\t3\tfive\n" << "sites.bed line 2: the end must be a whole number from 0, not \"five\"";
        QTest::newRow("empty interval") << "rec1\t5\t5\n" << "sites.bed line 1: the end (5) must be after the start (5)";
        QTest::newRow("nothing") << "# only a comment\n" << "sites.bed: no BED intervals";
    }
    void malformedBedIsRefusedByLine()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto thrown = thrownMessage<FormatError>([&] { parseBed(text.toStdString(), "sites.bed"); });
        QVERIFY(thrown);
        QVERIFY2(thrown->find(message.toStdString()) != std::string::npos, thrown->c_str());
    }
    void intervalsFollowTheWindow()
    {
        // a window of 10 bases starting at base 100 of rec1: [98, 103) covers its bases 0-2, [109, 200) base 9
        std::vector<char> bases(10, 0);
        const std::vector<BedInterval> b{{"rec1", 98, 103}, {"rec1", 109, 200}, {"rec1", 0, 50}, {"rec2", 100, 110}};
        QCOMPARE(markIntervals(bases, b, "rec1", 100), 2);
        QCOMPARE(bases, (std::vector<char>{1, 1, 1, 0, 0, 0, 0, 0, 0, 1}));
    }
    void motifsOnEitherStrand()
    {
        // GGTRAG (a 5' splice site's consensus) at 2 (GGTAAG), and its reverse complement CTYACC at 10 (CTTACC)
        const std::string sequence = "AAGGTAAGTTCTTACCAA";
        std::vector<char> bases(sequence.size(), 0);
        QCOMPARE(markMotif(bases, sequence, "GGTRAG"), 2);
        QCOMPARE(bases, (std::vector<char>{0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0}));
        const auto bad = thrownMessage<Error>([&] { markMotif(bases, sequence, "GGTXAG"); });
        QVERIFY(bad && bad->find("'X' is not an IUPAC nucleotide letter") != std::string::npos);
    }
    void tokensCoverTheirBases()
    {
        Encoding e; // [CLS], then 3-mers over bases 0-2, 1-3, 2-4
        e.spans = {{-1, -1}, {0, 3}, {1, 4}, {2, 5}};
        QCOMPARE(tokensCovering({0, 0, 0, 1, 0}, e), (std::vector<char>{0, 0, 1, 1}));
    }
};

QTEST_GUILESS_MAIN(TestSequenceMarks)
#include "TestSequenceMarks.moc"
