// A contact predictor against a structure: the query on its chain, the true contacts per range,
// precision at L, L/2 and L/5, and the single head that predicts best.

#include "interpret/ContactEvaluation.h"
#include "msa/MsaReader.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestContactEvaluation : public QObject {
    Q_OBJECT
    StructureContacts contacts_;

private slots:
    void initTestCase()
    {
        const Msa msa = readMsa(dataDir() / "msa/tryps.a2m.gz");
        const ProteinStructure s = readStructure(dataDir() / "structure/1A0J_A.pdb.gz");
        contacts_ = structureContacts(msa.rows.front().residues, s.chain(""));
    }
    void theQueryIsPlacedOnItsChain()
    {
        // the counts of tests/data/structure/expected.json (Biopython)
        QCOMPARE(contacts_.chain, std::string("A"));
        QCOMPARE(contacts_.withCoordinates, std::size_t{223});
        QCOMPARE(contacts_.counts, (std::array<std::size_t, 3>{81, 135, 438}));
        QCOMPARE(contacts_.residueLabels.front(), std::string("ILE 16")); // chymotrypsin numbering, as the file has it
        QCOMPARE(contacts_.residueLabels.size(), std::size_t{223});
    }
    void precisionOfTheTruthItself()
    {
        const ContactPrecision p = contactPrecision(contacts_.truth, contacts_.truth);
        QCOMPARE(p.at[0][0], 81.0 / 223);  // short: 81 contacts among the top 223
        QCOMPARE(p.at[0][1], 81.0 / 111);
        QCOMPARE(p.at[0][2], 1.0);
        QCOMPARE(p.longAtL(), 1.0);        // 438 long contacts fill the top 223
    }
    void theBestHeadIsTheOneThatSeesContacts()
    {
        // four heads of noise, one of which (layer 1, head 0) attends along the true contacts
        const Index l = contacts_.truth.rows(), tokens = l + 2;
        AttentionStore store(2, 2, tokens, {});
        std::srand(7);
        for (int layer = 0; layer < 2; ++layer)
            for (int head = 0; head < 2; ++head) {
                Matrix m = (Matrix::Random(tokens, tokens).array() + 1.0f).matrix();
                if (layer == 1 && head == 0)
                    m.block(1, 1, l, l) += 50.0f * contacts_.truth.cwiseMax(0.0f);
                for (Index r = 0; r < tokens; ++r)
                    m.row(r) /= m.row(r).sum();
                store.writeRows(layer, head, 0, m);
            }
        const BestHead best = bestContactHead(store, 1, l, contacts_.truth, [](const Matrix& m) { return m; });
        QCOMPARE(best.layer, 1);
        QCOMPARE(best.head, 0);
        QVERIFY2(best.precision.longAtL() > 0.9, qPrintable(QString::number(best.precision.longAtL())));
    }
};

QTEST_APPLESS_MAIN(TestContactEvaluation)
#include "TestContactEvaluation.moc"
