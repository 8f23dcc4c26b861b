// What the alignment view colours and plots per column: fractions, consensus and conservation,
// and the Clustal X classes of Jalview's table (help/html/colourSchemes/clustal.html), each
// clause checked on a column built to pass it and one built to miss it by a row.

#include "msa/ColumnProfile.h"
#include "msa/SequenceWeights.h"

#include <QTest>

#include <cmath>

using namespace attn;

namespace {

/// An alignment of one column per string: rows[r] is row r's letters.
Msa alignment(const std::vector<std::string>& rows)
{
    Msa msa;
    for (const std::string& r : rows) {
        MsaRow row;
        row.name = "s" + std::to_string(msa.rows.size());
        row.residues = r;
        msa.rows.push_back(row);
    }
    return msa;
}

/// A one-column alignment whose rows are the letters of `column`.
ColumnProfile profileOf(const std::string& column)
{
    std::vector<std::string> rows;
    for (char c : column)
        rows.emplace_back(1, c);
    return columnProfiles(alignment(rows)).front();
}

} // namespace

class TestColumnProfile : public QObject {
    Q_OBJECT
private slots:
    void fractionsCountGapsInTheDenominator()
    {
        const ColumnProfile p = profileOf("PPPPP-----");
        QCOMPARE(p.of('P'), 0.5f);
        QCOMPARE(p.gapFraction, 0.5f);
        QCOMPARE(p.consensus, 'P');
        QCOMPARE(p.consensusFraction, 0.5f);
        QCOMPARE(p.of('-'), 0.0f);
    }
    void clustalClassesFollowJalviewsTable_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("residue");
        QTest::addColumn<int>("expected");
        const auto row = [](const char* name, const char* column, char residue, ClustalClass c) {
            QTest::newRow(name) << QString(column) << QString(QChar(residue)) << static_cast<int>(c);
        };
        row("hydrophobic over 60 %", "LLLLLLLAAA", 'A', ClustalClass::Hydrophobic);
        row("hydrophobic at 60 % is not over", "LLLLLLKKKK", 'L', ClustalClass::None);
        row("K+R over 60 %", "KKKKKKKLLL", 'K', ClustalClass::Positive);
        row("K at 50 %, R none: not", "KKKKKLLLLL", 'K', ClustalClass::None);
        row("R alone over 80 %", "RRRRRRRRRL", 'R', ClustalClass::Positive);
        row("glycine always", "GAAAAAAAAA", 'G', ClustalClass::Glycine);
        row("proline always", "PLLLLLLLLL", 'P', ClustalClass::Proline);
        row("cysteine over 85 % is pink, not blue", "CCCCCCCCCL", 'C', ClustalClass::Cysteine);
        row("cysteine in a hydrophobic column is blue", "CCLLLLLLLK", 'C', ClustalClass::Hydrophobic);
        row("E with Q+E over 50 %", "EEEEEEKKKK", 'E', ClustalClass::Negative);
        row("K beside it is not red", "EEEEEEKKKK", 'K', ClustalClass::None);
        row("D with E+D over 50 %", "DDDDDDEEEE", 'D', ClustalClass::Negative);
        row("E beside it: Q+E 40 %, no single E/Q/D over 85 %", "DDDDDDEEEE", 'E', ClustalClass::None);
        row("N over 50 %", "NNNNNNQQQQ", 'N', ClustalClass::Polar);
        row("Q beside it: Q+E 40 %", "NNNNNNQQQQ", 'Q', ClustalClass::None);
        row("T and S together", "TTTTTSSSSS", 'S', ClustalClass::Polar);
        row("H in a hydrophobic column", "HHHHHHHHHY", 'H', ClustalClass::Aromatic);
        row("Y in a hydrophobic column", "HHHHHHHHHY", 'Y', ClustalClass::Aromatic);
        row("Y alone: hydrophobic 0 %", "YYYYYDDDDD", 'Y', ClustalClass::None);
        row("a gap is never coloured", "LLLLLLLLL-", '-', ClustalClass::None);
    }
    void clustalClassesFollowJalviewsTable()
    {
        QFETCH(QString, column);
        QFETCH(QString, residue);
        QFETCH(int, expected);
        QCOMPARE(static_cast<int>(clustalClass(residue.toLatin1()[0], profileOf(column.toStdString()))), expected);
    }
    void coloursAreJalviews()
    {
        QCOMPARE(clustalColour(ClustalClass::Hydrophobic), 0x80a0f0u);
        QCOMPARE(clustalColour(ClustalClass::Positive), 0xf01505u);
        QCOMPARE(clustalColour(ClustalClass::None), 0xffffffu);
    }
    void conservationIsOneMinusNormalisedEntropy()
    {
        QCOMPARE(profileOf("LLLLLLLLLL").conservation, 1.0f);
        QVERIFY(std::abs(profileOf("ACDEFGHIKLMNPQRSTVWY-").conservation) < 1e-6f); // the 21 states once each
        const double h = -(0.75 * std::log(0.75) + 0.25 * std::log(0.25));
        QVERIFY(std::abs(profileOf("LLLK").conservation - (1.0 - h / std::log(21.0))) < 1e-6);
    }
    void aColumnOfGapsIsNotConserved()
    {
        // nine gaps and an L: entropy is low, but the column conserves nothing (gap penalty)
        const ColumnProfile gaps = profileOf("---------L");
        const double h = -(0.9 * std::log(0.9) + 0.1 * std::log(0.1));
        QVERIFY(std::abs(gaps.conservation - (1.0 - h / std::log(21.0)) * 0.1) < 1e-6);
        QVERIFY(gaps.conservation < profileOf("IIIIIIVVVG").conservation); // below a mostly conserved column
        QCOMPARE(profileOf("----------").conservation, 0.0f);
    }
    void weightsCountNearCopiesOnce()
    {
        // three identical rows weigh 1/3 each, the fourth 1: L and K then count half each
        const Msa msa = alignment({"LLLLL", "LLLLL", "LLLLL", "KKKKK"});
        const ColumnProfile p = columnProfiles(msa, sequenceWeights(msa)).front();
        QVERIFY(std::abs(p.conservation - (1.0 - std::log(2.0) / std::log(21.0))) < 1e-6);
        QCOMPARE(p.of('L'), 0.75f); // the colours' fractions stay unweighted, as Jalview's
    }
};

QTEST_APPLESS_MAIN(TestColumnProfile)
#include "TestColumnProfile.moc"
