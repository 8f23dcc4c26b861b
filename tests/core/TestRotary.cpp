// Rotary position embedding and causal attention against a PyTorch reference
// of ESM-2's formulation (tests/data/golden/rotary, made by tools/make_golden.py).

#include "attention/MultiHeadAttention.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestRotary : public QObject {
    Q_OBJECT
    const std::filesystem::path dir_ = goldenDir("rotary");
    const int heads_ = 2;

    Matrix load(const char* name) { return readNpy(dir_ / name).matrix(); }

private slots:
    void rotatesLikeEsm2()
    {
        Matrix q = load("q.npy"), k = load("k.npy");
        applyRotary(q, heads_, rotaryFrequencies(q.cols() / heads_));
        applyRotary(k, heads_, rotaryFrequencies(k.cols() / heads_));
        QVERIFY(maxAbsDiff(q, readNpy(dir_ / "expected/q_rot.npy")) < 1e-5f);
        QVERIFY(maxAbsDiff(k, readNpy(dir_ / "expected/k_rot.npy")) < 1e-5f);
    }
    void attentionWeightsAndContext_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::newRow("bidirectional") << false;
        QTest::newRow("causal") << true;
    }
    void attentionWeightsAndContext()
    {
        QFETCH(bool, causal);
        Matrix q = load("q.npy"), k = load("k.npy");
        const Matrix v = load("v.npy");
        applyRotary(q, heads_, rotaryFrequencies(q.cols() / heads_));
        applyRotary(k, heads_, rotaryFrequencies(k.cols() / heads_));
        AttentionStore store(1, heads_, q.rows(), {});
        Matrix context;
        scaledDotProductAttention(q, k, v, heads_, {{}, causal, {}}, {&store, 0}, context);
        const Tensor expected = readNpy(dir_ / (causal ? "expected/attention_causal.npy" : "expected/attention.npy"));
        std::vector<float> actual(expected.data.size());
        store.copyLayer(0, actual.data());
        QVERIFY(maxAbsDiff(actual.data(), expected.data.data(), actual.size()) < 1e-5f);
        if (causal)
            QCOMPARE(store.weight(0, 1, 2, 3), 0.0f);
        else
            QVERIFY(maxAbsDiff(context, readNpy(dir_ / "expected/context.npy")) < 1e-5f);
    }
};

QTEST_GUILESS_MAIN(TestRotary)
#include "TestRotary.moc"
