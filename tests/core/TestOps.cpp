#include "attention/AttentionStore.h"
#include "attention/MultiHeadAttention.h"
#include "model/layers/ContactHead.h"
#include "model/layers/PositionalEncoding.h"
#include "tensor/Ops.h"
#include "tensor/SoftmaxRow.h"

#include <QTest>

#include <cmath>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

using namespace attn;

class TestOps : public QObject {
    Q_OBJECT
private slots:
    void softmaxIsStableForLargeScores()
    {
        Matrix m(1, 3);
        m << 1000.0f, 1001.0f, 1002.0f;
        softmaxRows(m);
        const double z = 1.0 + std::exp(-1.0) + std::exp(-2.0);
        QVERIFY(std::abs(m(0, 2) - 1.0 / z) < 1e-6);
        QVERIFY(std::abs(m(0, 0) - std::exp(-2.0) / z) < 1e-6);
    }
    void softmaxFullyMaskedRowIsZeroNotNaN()
    {
        const float inf = std::numeric_limits<float>::infinity();
        Matrix m(2, 3);
        m << -inf, -inf, -inf, 0.0f, -inf, 0.0f;
        softmaxRows(m);
        QCOMPARE(m.row(0).sum(), 0.0f);
        QVERIFY(!std::isnan(m(0, 0)));
        QCOMPARE(m(1, 0), 0.5f);
        QCOMPARE(m(1, 1), 0.0f);
    }
    void softmaxWithSpreadIsTheSoftmaxAndTheSpread()
    {
        // The kernel's recording step gives the attention of a run that records nothing, to the bit,
        // and the spread that scoreSpread computes apart; lengths around the vector width.
        for (Index n : {1, 7, 8, 9, 1002, 2048}) {
            const Matrix scores = Matrix::Random(1, n) * 6.0f;
            Matrix fused = scores, plain = scores;
            const float spread = softmaxWithSpread(fused.data(), n);
            softmaxRows(plain);
            for (Index j = 0; j < n; ++j)
                QCOMPARE(fused(0, j), plain(0, j));
            QVERIFY(std::abs(plain.sum() - 1.0f) < 1e-5f);
            const Eigen::ArrayXd x = scores.row(0).transpose().cast<double>().array();
            const double expected = std::sqrt((x - x.mean()).square().mean());
            QVERIFY2(std::abs(spread - expected) <= 1e-5 * expected + 1e-7, qPrintable(QString("n %1: %2 against %3").arg(n).arg(spread).arg(expected)));
            float separate = 0;
            scoreSpread(scores, false, &separate);
            QVERIFY(std::abs(spread - separate) <= 1e-5f * separate);
            const double z = (x - x.maxCoeff()).exp().sum(); // against the definition in double
            for (Index j = 0; j < n; ++j)
                QVERIFY(std::abs(fused(0, j) - std::exp(x(j) - x.maxCoeff()) / z) < 1e-6);
        }
    }
    void layerNormMatchesDefinition()
    {
        Matrix x(1, 4);
        x << 1.0f, 2.0f, 3.0f, 6.0f;
        Vector gamma(4), beta(4);
        gamma << 1.0f, 2.0f, 1.0f, 1.0f;
        beta << 0.0f, 0.0f, 1.0f, 0.0f;
        layerNormRows(x, gamma, beta, 1e-5f);
        // mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5
        const double s = 1.0 / std::sqrt(3.5 + 1e-5);
        QVERIFY(std::abs(x(0, 0) - (-2.0 * s)) < 1e-6);
        QVERIFY(std::abs(x(0, 1) - (-1.0 * s * 2.0)) < 1e-6);
        QVERIFY(std::abs(x(0, 2) - 1.0) < 1e-6);
        QVERIFY(std::abs(x(0, 3) - 3.0 * s) < 1e-6);
    }
    void geluIsExactErfForm_data()
    {
        QTest::addColumn<float>("x");
        QTest::addColumn<double>("expected"); // x/2 (1 + erf(x / sqrt 2)) in double
        for (float x : {-3.0f, -1.0f, -0.5f, 0.0f, 0.1f, 1.0f, 2.5f})
            QTest::newRow(qPrintable(QString::number(x))) << x << 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    }
    void geluIsExactErfForm()
    {
        QFETCH(float, x);
        QFETCH(double, expected);
        Matrix m(1, 1);
        m(0, 0) = x;
        geluInPlace(m);
        // within two float32 ulps of the double-precision value
        QVERIFY2(std::abs(m(0, 0) - expected) <= 2.5e-7 * std::max(1.0, std::abs(expected)), qPrintable(QString::number(m(0, 0))));
    }
    void reluClampsNegatives()
    {
        Matrix m(1, 3);
        m << -1.0f, 0.0f, 2.0f;
        reluInPlace(m);
        QCOMPARE(m(0, 0), 0.0f);
        QCOMPARE(m(0, 2), 2.0f);
    }
    // A matrix this large has its rows split over the threads; each row alone (one row, too
    // small to split) must come out the same to the bit.
    void largeRowPassesMatchRowByRow()
    {
        const Matrix x = Matrix::Random(300, 320), gate = Matrix::Random(300, 320);
        const Vector gamma = Vector::Random(320), beta = Vector::Random(320), b = Vector::Random(320);
        const Eigen::Map<const Vector> bias(b.data(), b.size());
        const Matrix w = Matrix::Identity(320, 320);
        const Eigen::Map<const Matrix> weight(w.data(), 320, 320);
        const auto passes = [&](const Matrix& in) {
            Matrix a = in, l = in, g = in, s = in, m = in, y;
            geluInPlace(a);
            layerNormRows(l, gamma, beta, 1e-5f);
            siluInPlace(s);
            multiplyInPlace(m, gate.middleRows(0, in.rows()));
            linear(g, weight, bias, y);
            return std::vector<Matrix>{a, l, s, m, y};
        };
        const std::vector<Matrix> whole = passes(x);
        for (Index r = 0; r < x.rows(); r += 37) {
            Matrix row = x.row(r);
            const auto one = [&](const Matrix& in) {
                Matrix m = in;
                m.array() *= gate.row(r).array();
                return m;
            };
            std::vector<Matrix> alone = passes(row);
            alone[3] = one(row);
            for (std::size_t k = 0; k < whole.size(); ++k)
                QVERIFY2(whole[k].row(r) == alone[k].row(0), qPrintable(QString("pass %1, row %2").arg(k).arg(r)));
        }
    }
    // Attention over more tokens than one block of query rows: every row, in every block, is
    // softmax(q k^T / sqrt(dh)) v computed directly.
    void attentionAcrossQueryBlocksMatchesDefinition()
    {
        const Index length = 600;
        const int heads = 2;
        const Matrix q = Matrix::Random(length, 16), k = Matrix::Random(length, 16), v = Matrix::Random(length, 16);
        AttentionStore store(1, heads, length, {});
        Matrix context;
        scaledDotProductAttention(q, k, v, heads, {}, {&store, 0}, context);
        for (int h = 0; h < heads; ++h) {
            Matrix p = (q.middleCols(h * 8, 8) / std::sqrt(8.0f)) * k.middleCols(h * 8, 8).transpose();
            softmaxRows(p);
            QVERIFY((store.head(0, h) - p).cwiseAbs().maxCoeff() < 1e-6f);
            QVERIFY((context.middleCols(h * 8, 8) - p * v.middleCols(h * 8, 8)).cwiseAbs().maxCoeff() < 1e-5f);
        }
    }
    // The contact head sums the rows the kernel hands over, in order: the same to the bit on one
    // thread or two, and the mean of the heads' symmetrised, APC-corrected maps.
    void contactRowsDoNotDependOnTheThreads()
    {
        const Index length = 600, n = length - 2;
        const int heads = 2;
        const Matrix q = Matrix::Random(length, 16), k = Matrix::Random(length, 16), v = Matrix::Random(length, 16);
        AttentionStore store(1, heads, length, {});
        const auto contactsWith = [&](int threads) {
#ifdef _OPENMP
            omp_set_num_threads(threads);
#endif
            ContactHead head = ContactHead::meanOfHeads(1, heads, 1, n);
            Matrix context;
            scaledDotProductAttention(q, k, v, heads, {}, {&store, 0, nullptr, &head}, context);
            head.finishLayer(0);
            return head.weightedSum();
        };
        const Matrix one = contactsWith(1), two = contactsWith(2);
#ifdef _OPENMP
        omp_set_num_threads(omp_get_num_procs());
#endif
        QVERIFY(one == two);
        const Matrix expected = 0.5f * (headContactMap(store, 0, 0, 1, n) + headContactMap(store, 0, 1, 1, n));
        QVERIFY2((one - expected).cwiseAbs().maxCoeff() < 1e-5f, qPrintable(QString::number((one - expected).cwiseAbs().maxCoeff())));
    }
    void sinusoidalEncodingFollowsFormula()
    {
        const Matrix pe = sinusoidalEncoding(5, 8);
        QCOMPARE(pe(0, 0), 0.0f);
        QCOMPARE(pe(0, 1), 1.0f);
        QVERIFY(std::abs(pe(3, 2) - std::sin(3.0 / std::pow(10000.0, 2.0 / 8.0))) < 1e-7);
        QVERIFY(std::abs(pe(4, 7) - std::cos(4.0 / std::pow(10000.0, 6.0 / 8.0))) < 1e-7);
    }
};

QTEST_GUILESS_MAIN(TestOps)
#include "TestOps.moc"
