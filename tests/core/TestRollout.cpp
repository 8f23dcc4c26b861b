// Attention rollout on hand-worked examples (the golden tests compare against a numpy reference).

#include "interpret/Rollout.h"
#include "util/Error.h"

#include <QTest>

using namespace attn;

namespace {

Matrix matrix3(std::initializer_list<float> v)
{
    Matrix m(3, 3);
    auto it = v.begin();
    for (Index i = 0; i < 9; ++i)
        m.data()[i] = *it++;
    return m;
}

const Matrix kW = matrix3({0.5f, 0.5f, 0.0f, 0.0f, 1.0f, 0.0f, 0.2f, 0.3f, 0.5f});

AttentionStore storeOf(const std::vector<Matrix>& headsOfEachLayer, int layers, int heads)
{
    AttentionStore s(layers, heads, 3, {});
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
            s.writeRows(l, h, 0, headsOfEachLayer[static_cast<std::size_t>(l * heads + h)]);
    return s;
}

bool near(float a, float b) { return std::abs(a - b) < 1e-6f; }

} // namespace

class TestRollout : public QObject {
    Q_OBJECT
private slots:
    void rowEqualsRowOfMatrix()
    {
        AttentionStore s(3, 2, 3, {});
        const Matrix other = matrix3({0.1f, 0.6f, 0.3f, 0.3f, 0.3f, 0.4f, 0.9f, 0.05f, 0.05f});
        for (int l = 0; l < 3; ++l) {
            s.writeRows(l, 0, 0, l == 1 ? other : kW);
            s.writeRows(l, 1, 0, l == 2 ? kW : other);
        }
        for (const RolloutOptions o : {RolloutOptions{}, RolloutOptions{HeadFusion::Max, 0.3f, 1}}) {
            const Matrix full = attentionRollout(s, {}, o);
            for (Index q = 0; q < 3; ++q) {
                const RowVector row = rolloutRow(s, {}, o, q);
                QVERIFY((row - full.row(q)).cwiseAbs().maxCoeff() < 1e-6f);
            }
        }
        QVERIFY_THROWS_EXCEPTION(Error, rolloutRow(s, {}, {}, 3));
    }
    void chainStepsAndStopsPerLayer()
    {
        // A view computes rollout rows on a worker; Cancel must stop it between layers.
        const AttentionStore s = storeOf({kW, kW, kW}, 3, 1);
        struct Counting : Progress {
            int steps = 0, stopAfter = 1000;
            long total = 0;
            void report(long, long of, const std::string&) override { ++steps, total = of; }
            bool cancelled() const override { return steps >= stopAfter; }
        } progress;
        const RolloutChain chain(s, {}, {}, &progress);
        QCOMPARE(progress.steps, 3);
        QCOMPARE(progress.total, 3L);
        progress.steps = 0;
        QVERIFY((chain.row(1, &progress) - rolloutRow(s, {}, {}, 1)).cwiseAbs().maxCoeff() < 1e-6f);
        QCOMPARE(progress.steps, 3);
        progress.steps = 0;
        progress.stopAfter = 2;
        QVERIFY_THROWS_EXCEPTION(Cancelled, chain.row(1, &progress));
        QCOMPARE(progress.steps, 2);
        progress.steps = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, RolloutChain(s, {}, {}, &progress));
    }
    void residualAndProduct()
    {
        const AttentionStore s = storeOf({kW, kW}, 2, 1);
        const Matrix a = rolloutLayerMatrix(s, 0, {}, {});
        QVERIFY(near(a(0, 0), 0.75f) && near(a(0, 1), 0.25f) && near(a(2, 1), 0.15f));
        const Matrix r = attentionRollout(s, {}, {});
        // row 0 of A*A: [0.75*0.75, 0.75*0.25 + 0.25*1, 0]
        QVERIFY(near(r(0, 0), 0.5625f) && near(r(0, 1), 0.4375f) && near(r(0, 2), 0.0f));
        QVERIFY(near(r.row(2).sum(), 1.0f));
    }
    void startLayerSkipsEarlierLayers()
    {
        const Matrix identity = Matrix::Identity(3, 3);
        const AttentionStore s = storeOf({identity, kW}, 2, 1);
        const Matrix r = attentionRollout(s, {}, {HeadFusion::Mean, 0.0f, 1});
        QVERIFY(near(r(0, 1), 0.25f));
    }
    void discardNeverTouchesClsColumn()
    {
        const AttentionStore s = storeOf({kW}, 1, 1);
        // eligible (column != 0): 0.5, 0, 1, 0, 0.3, 0.5; half of 6 = 3 lowest: both zeros and (2,1) = 0.3,
        // while (2,0) = 0.2 is lower but in the [CLS] column and stays.
        const Matrix a = rolloutLayerMatrix(s, 0, {}, {HeadFusion::Mean, 0.5f, 0});
        QVERIFY(near(a(2, 1), 0.0f));
        QVERIFY(near(a(2, 0), 0.1f / 0.85f));
        QVERIFY(near(a(2, 2), 0.75f / 0.85f));
        QVERIFY(near(a(0, 1), 0.25f)); // 0.5 survives
    }
    void paddingIsExcluded()
    {
        const AttentionStore s = storeOf({kW}, 1, 1);
        const Matrix a = rolloutLayerMatrix(s, 0, {false, true, false}, {});
        QVERIFY(near(a(0, 1), 0.0f) && near(a(1, 1), 0.0f) && near(a.row(1).sum(), 0.0f));
        QVERIFY(near(a(0, 0), 1.0f)); // 0.75 renormalised alone
        QVERIFY(near(a(2, 0), 0.1f / 0.85f));
    }
    void headFusion_data()
    {
        QTest::addColumn<int>("fusion");
        QTest::addColumn<float>("expected01"); // fused W(0,1) of heads 0.5 and 0.1, before the residual
        QTest::newRow("mean") << static_cast<int>(HeadFusion::Mean) << 0.3f;
        QTest::newRow("max") << static_cast<int>(HeadFusion::Max) << 0.5f;
        QTest::newRow("min") << static_cast<int>(HeadFusion::Min) << 0.1f;
    }
    void headFusion()
    {
        QFETCH(int, fusion);
        QFETCH(float, expected01);
        const Matrix other = matrix3({0.9f, 0.1f, 0.0f, 0.0f, 1.0f, 0.0f, 0.2f, 0.3f, 0.5f});
        const AttentionStore s = storeOf({kW, other}, 1, 2);
        const Matrix a = rolloutLayerMatrix(s, 0, {}, {static_cast<HeadFusion>(fusion), 0.0f, 0});
        const float f00 = fusion == 0 ? 0.7f : (fusion == 1 ? 0.9f : 0.5f);
        const float rowSum = (f00 + expected01 + 1.0f) / 2.0f;
        QVERIFY(near(a(0, 1), expected01 / 2.0f / rowSum));
    }
    void refusesMissingLayers()
    {
        AttentionStore s(2, 1, 3, {StoreType::F32, {1}, 0, {}});
        s.writeRows(1, 0, 0, kW);
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout(s, {}, {}));
        QVERIFY(near(attentionRollout(s, {}, {HeadFusion::Mean, 0.0f, 1})(0, 1), 0.25f));
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout(s, {}, {HeadFusion::Mean, 1.0f, 1}));
        QVERIFY_THROWS_EXCEPTION(Error, attentionRollout(s, {}, {HeadFusion::Mean, 0.0f, 2}));
    }
};

QTEST_GUILESS_MAIN(TestRollout)
#include "TestRollout.moc"
