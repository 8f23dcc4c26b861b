// Tokenizers (char and overlapping k-mers with [SEP]) and spreading k-mer attention over bases.

#include "interpret/KmerSpread.h"
#include "model/tokenizers/Tokenizer.h"

#include <QTest>

using namespace attn;

namespace {

TokenizerConfig kmer3()
{
    TokenizerConfig t;
    t.type = "kmer";
    t.k = 3;
    t.vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (const char* a : {"A", "C", "G", "T"})
        for (const char* b : {"A", "C", "G", "T"})
            for (const char* c : {"A", "C", "G", "T"})
                t.vocab.push_back(std::string(a) + b + c);
    t.sep = "[SEP]";
    return t;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void overlappingKmers()
    {
        const Tokenizer tok(kmer3());
        const Encoding e = tok.encode("acgTNa");
        // [CLS] ACG CGT GTN(unk) TNA(unk) [SEP]
        QCOMPARE(e.tokens, (std::vector<std::string>{"[CLS]", "ACG", "CGT", "[UNK]", "[UNK]", "[SEP]"}));
        QCOMPARE(e.unknownCount, 2);
        QCOMPARE(e.spans[0].begin, -1);
        QCOMPARE(e.spans[1].begin, 0);
        QCOMPARE(e.spans[1].end, 3);
        QCOMPARE(e.spans[4].begin, 3);
        QCOMPARE(e.spans[4].end, 6);
        QCOMPARE(e.spans[5].end, -1);
        QCOMPARE(tok.tokenCount(6), 6);
        QCOMPARE(tok.maxBases(512), 512 - 2 + 2); // 510 k-mers of 3 cover 512 bases
        QCOMPARE(tok.tokenCount(tok.maxBases(512)), 512);
    }
    void charTokensWithoutSep()
    {
        TokenizerConfig c;
        c.vocab = {"[PAD]", "[CLS]", "[UNK]", "A", "C", "G", "T"};
        const Tokenizer tok(c);
        const Encoding e = tok.encode("GaN");
        QCOMPARE(e.ids, (std::vector<int>{1, 5, 3, 2}));
        QCOMPARE(e.spans[3].begin, 2);
        QCOMPARE(tok.maxBases(64), 63);
    }
    void spreadByHand()
    {
        // Sequence ACGTA (5 bases), 3-mers ACG CGT GTA with [CLS] and [SEP] around them.
        // Weights: [CLS] 0.1, ACG 0.3, CGT 0.15, GTA 0.45, [SEP] 0.0.
        // Base 0 (A): ACG/3 = 0.1;  base 1 (C): (ACG + CGT)/3 = 0.15;
        // base 2 (G): (ACG + CGT + GTA)/3 = 0.3;  base 3 (T): (CGT + GTA)/3 = 0.2;  base 4 (A): GTA/3 = 0.15.
        const Tokenizer tok(kmer3());
        const Encoding e = tok.encode("ACGTA");
        RowVector w(5);
        w << 0.1f, 0.3f, 0.15f, 0.45f, 0.0f;
        const std::vector<float> b = spreadToBases(w, e.spans, 5);
        const std::vector<float> expected{0.1f, 0.15f, 0.3f, 0.2f, 0.15f};
        for (int i = 0; i < 5; ++i)
            QVERIFY2(std::abs(b[static_cast<std::size_t>(i)] - expected[static_cast<std::size_t>(i)]) < 1e-7f, qPrintable(QString::number(i)));
        float sum = 0;
        for (float v : b)
            sum += v;
        QVERIFY(std::abs(sum - 0.9f) < 1e-6f); // all but [CLS] and [SEP]
        QVERIFY(thrownMessage(w.head(3), e.spans));
    }

private:
    static bool thrownMessage(const RowVector& w, const std::vector<TokenSpan>& spans)
    {
        try {
            spreadToBases(w, spans, 5);
        } catch (const std::exception&) {
            return true;
        }
        return false;
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "TestTokenizer.moc"
