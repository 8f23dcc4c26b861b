#include "io/BinaryFile.h"
#include "io/Npy.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestNpy : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path file(const char* n) { return std::filesystem::path(tmp_.path().toStdString()) / n; }

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("1-D") << QList<qint64>{5};
        QTest::newRow("3-D") << QList<qint64>{2, 3, 4};
        QTest::newRow("scalar-like") << QList<qint64>{1, 1};
    }
    void roundTrip()
    {
        QFETCH(QList<qint64>, shape);
        Tensor t;
        t.shape.assign(shape.begin(), shape.end());
        for (std::int64_t i = 0; i < t.numel(); ++i)
            t.data.push_back(static_cast<float>(i) * 0.5f - 1.0f);
        writeNpy(file("a.npy"), t);
        const std::string bytes = readText(file("a.npy"));
        QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
        QCOMPARE((bytes.size() - t.data.size() * 4) % 64, std::size_t{0}); // header padded to 64 bytes
        const Tensor back = readNpy(file("a.npy"));
        QCOMPARE(back.shape, t.shape);
        QCOMPARE(back.data, t.data);
    }
    void oneDimensionalHeaderIsNumpyStyle()
    {
        const float v[3] = {1, 2, 3};
        writeNpy(file("v.npy"), {3}, v);
        QVERIFY(readText(file("v.npy")).find("'shape': (3,)") != std::string::npos);
    }
    void rejectsNonNpy()
    {
        writeBinaryFile(file("bad.npy"), "not an npy file at all");
        QVERIFY_THROWS_EXCEPTION(FormatError, readNpy(file("bad.npy")));
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "TestNpy.moc"
