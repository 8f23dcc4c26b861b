// Colormaps, colour ranges and level-of-detail pooling.

#include "render/Colormap.h"
#include "render/Downsample.h"
#include "util/Error.h"

#include <QTest>

using namespace attn;

class TestRender : public QObject {
    Q_OBJECT
private slots:
    void colormapsByName()
    {
        QCOMPARE(Colormap::names().front(), std::string("viridis"));
        const Colormap v = Colormap::byName("viridis");
        QCOMPARE(int(v.at(0.0).r), 68); // matplotlib's viridis starts at #440154
        QCOMPARE(int(v.at(0.0).b), 84);
        QCOMPARE(int(v.at(1.0).r), 253); // and ends at #fde725
        QVERIFY(!v.diverging() && Colormap::byName("coolwarm").diverging());
        QCOMPARE(int(v.at(-3.0).g), int(v.at(0.0).g));
        QCOMPARE(int(v.at(std::nan("")).g), int(v.at(0.0).g));
        QVERIFY_THROWS_EXCEPTION(Error, Colormap::byName("jet"));
    }
    void rangesMapBothWays()
    {
        const ColourRange lin = attentionRange(0.5, ColourScale::Linear);
        QCOMPARE(lin.normalise(0.25), 0.5);
        QCOMPARE(lin.normalise(2.0), 1.0);
        QCOMPARE(lin.valueAt(0.5), 0.25);
        const ColourRange log = attentionRange(1.0, ColourScale::Log);
        QCOMPARE(log.low, 1e-4);
        QVERIFY(std::abs(log.normalise(1e-2) - 0.5) < 1e-12);
        QCOMPARE(log.normalise(0.0), 0.0);
        QVERIFY(std::abs(log.valueAt(0.75) - 1e-1) < 1e-12);
    }
    void poolingKeepsMaxima()
    {
        Matrix m = Matrix::Random(37, 37).cwiseAbs();
        m(20, 33) = 5.0f;
        const Matrix once = halveMax(m), twice = halveMax(once);
        QCOMPARE(once.rows(), Index{19});
        QCOMPARE(twice.rows(), Index{10});
        QCOMPARE(once(10, 16), 5.0f);
        QCOMPARE(twice(5, 8), 5.0f);
        QVERIFY(twice == downsampleMax(m, 10, 10)); // 2 x 2 twice is 4 x 4 once
        QCOMPARE(twice.maxCoeff(), 5.0f);
        for (Index r = 0; r < 19; ++r)
            for (Index c = 0; c < 19; ++c)
                QCOMPARE(once(r, c), m.block(2 * r, 2 * c, std::min<Index>(2, 37 - 2 * r), std::min<Index>(2, 37 - 2 * c)).maxCoeff());
        QVERIFY(downsampleMax(m, 64, 64) == m);
    }
    void signedPoolingKeepsTheLargestMagnitude()
    {
        Matrix d(2, 4);
        d << 0.1f, -0.5f, 0.2f, 0.3f,
             0.2f, 0.4f, -0.3f, 0.3f;
        const Matrix h = halveMaxMagnitude(d);
        QCOMPARE(h.rows(), Index{1});
        QCOMPARE(h(0, 0), -0.5f);
        QCOMPARE(h(0, 1), 0.3f); // |-0.3| = |0.3|: the positive one
    }
    void poolingRowByRowEqualsPoolingTheWhole_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<bool>("signedValues");
        QTest::newRow("odd, weights") << 37 << 37 << false;
        QTest::newRow("odd, differences") << 37 << 37 << true;
        QTest::newRow("even x odd, differences") << 16 << 9 << true;
        QTest::newRow("one row") << 1 << 5 << false;
    }
    void poolingRowByRowEqualsPoolingTheWhole()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(bool, signedValues);
        Matrix m = Matrix::Random(rows, cols);
        if (!signedValues)
            m = m.cwiseAbs();
        m(rows / 2, cols - 1) = signedValues ? -7.0f : 7.0f;
        int reads = 0;
        float largest = 0.0f;
        Matrix h;
        halveRows(rows, cols, [&](Index r0, Index n, float* dst) {
            QVERIFY(n <= 2); // never more than two rows at a time
            ++reads;
            Eigen::Map<Matrix>(dst, n, cols) = m.middleRows(r0, n);
        }, signedValues, h, largest);
        QVERIFY(h == (signedValues ? halveMaxMagnitude(m) : halveMax(m)));
        QCOMPARE(reads, (rows + 1) / 2);
        QCOMPARE(largest, 7.0f);
    }
};

QTEST_GUILESS_MAIN(TestRender)
#include "TestRender.moc"
