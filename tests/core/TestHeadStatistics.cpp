// Head statistics: hand-worked values, and the recorded score spread against the spread of
// log-weights (softmax shifts every score of a row by the same constant, so the two agree).

#include "interpret/HeadStatistics.h"
#include "model/torch_encoder/EncoderModel.h"

#include "TestSupport.h"

#include <QTest>

#include <cmath>

using namespace attn;
using namespace attn::test;

class TestHeadStatistics : public QObject {
    Q_OBJECT
private slots:
    void handWorkedHeads()
    {
        // 4 tokens, last one padding. Head 0 looks only at [CLS]; head 1 is uniform over 3 keys.
        AttentionStore store(1, 2, 4, {});
        Matrix cls = Matrix::Zero(4, 4), uniform = Matrix::Zero(4, 4);
        cls.col(0).setOnes();
        uniform.leftCols(3).setConstant(1.0f / 3.0f);
        store.writeRows(0, 0, 0, cls);
        store.writeRows(0, 1, 0, uniform);
        const std::vector<bool> pad{false, false, false, true};
        const auto stats = headStatistics(store, pad, indexTokenAxis({"[CLS]", "A", "C", "[PAD]"}));
        QCOMPARE(stats.size(), std::size_t{2});
        QCOMPARE(stats[0].entropyBits, 0.0);
        QCOMPARE(stats[0].clsMass, 1.0);
        QVERIFY(std::abs(stats[0].meanDistance - 1.0) < 1e-12); // rows 0, 1, 2 -> distances 0, 1, 2
        QVERIFY(std::abs(stats[1].entropyBits - std::log2(3.0)) < 1e-6);
        QVERIFY(std::abs(stats[1].maxEntropyBits - std::log2(3.0)) < 1e-12);
        QVERIFY(std::abs(stats[1].clsMass - 1.0 / 3.0) < 1e-6);
        // rows 0..2 over keys 0..2: mean |i - j| = (1 + 2/3 + 1) / 3 = 8/9
        QVERIFY(std::abs(stats[1].meanDistance - 8.0 / 9.0) < 1e-6);
        QCOMPARE(stats[1].paddingMass, 0.0);
        QCOMPARE(stats[1].layer, 0);
        QCOMPARE(stats[1].head, 1);
    }
    void distanceSkipsTokensWithoutAPlace()
    {
        // [CLS] has no place; bases 0, 1, 2. Uniform head over 4 keys: rows 1..3 give
        // 0.25 * (0 + 1 + 2), 0.25 * (1 + 0 + 1), 0.25 * (2 + 1 + 0); their mean is 2/3 base.
        AttentionStore store(1, 1, 4, {});
        store.writeRows(0, 0, 0, Matrix::Constant(4, 4, 0.25f));
        TokenAxis axis;
        axis.labels = {"[CLS]", "A", "C", "G"};
        axis.position = {{TokenAxis::kNone, 0, 0}, {0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
        axis.unit = "bases";
        QVERIFY(std::abs(headStatistics(store, {}, axis, 0, 0).meanDistance - 2.0 / 3.0) < 1e-6);
    }
    void distanceIsEuclideanInMillimetres()
    {
        // Two CT tokens 5 mm apart (3-4-5); each puts half its weight on the other, half on [CLS].
        AttentionStore store(1, 1, 3, {});
        Matrix a(3, 3);
        a << 1, 0, 0, 0.5, 0, 0.5, 0.5, 0.5, 0;
        store.writeRows(0, 0, 0, a);
        TokenAxis axis;
        axis.labels = {"[CLS]", "z0 y0 x0", "z0 y1 x1"};
        axis.position = {{TokenAxis::kNone, TokenAxis::kNone, TokenAxis::kNone}, {0, 0, 0}, {3, 4, 0}};
        axis.dimensions = 3;
        axis.unit = "mm";
        QVERIFY(std::abs(headStatistics(store, {}, axis, 0, 0).meanDistance - 2.5) < 1e-6);
    }
    void axisOfAnotherLengthIsRefused()
    {
        AttentionStore store(1, 1, 3, {});
        QVERIFY(thrownMessage<ShapeError>([&] { headStatistics(store, {}, indexTokenAxis({"a", "b"}), 0, 0); }).has_value());
    }
    void paddingMassShowsAnUnmaskedPad()
    {
        AttentionStore store(1, 1, 2, {});
        Matrix half = Matrix::Constant(2, 2, 0.5f);
        store.writeRows(0, 0, 0, half);
        QCOMPARE(headStatistics(store, {false, true}, indexTokenAxis({"[CLS]", "[PAD]"}), 0, 0).paddingMass, 0.5);
    }
    void scoreSpreadMatchesLogWeights()
    {
        const auto dir = goldenDir("postln_relu_padded");
        const auto model = loadModel(dir);
        std::vector<int> ids{1, 3, 4, 5, 6, 3, 4, 0, 0, 0, 0};
        std::vector<bool> pad(11, false);
        for (int i = 7; i < 11; ++i)
            pad[static_cast<std::size_t>(i)] = true;
        const RunResult r = model->run(ids, pad, {});
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 4; ++h) {
                const Matrix a = r.attention.head(l, h);
                double expected = 0.0;
                for (Index i = 0; i < 7; ++i) {
                    const Eigen::ArrayXd logs = a.row(i).leftCols(7).cast<double>().array().log();
                    expected += std::sqrt((logs - logs.mean()).square().mean());
                }
                expected /= 7.0;
                const HeadStats s = headStatistics(r.attention, pad, indexTokenAxis(std::vector<std::string>(11, "t")), l, h);
                QVERIFY2(std::abs(s.scoreSpread - expected) < 1e-4, qPrintable(QString::number(s.scoreSpread - expected)));
                QVERIFY(s.scoreSpread > 0.0);
                QVERIFY(std::abs(s.temperature * s.scoreSpread - 1.0) < 1e-12);
            }
    }
};

QTEST_GUILESS_MAIN(TestHeadStatistics)
#include "TestHeadStatistics.moc"
