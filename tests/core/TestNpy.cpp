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
    void aFailedWriteLeavesTheFileThatWasThere()
    {
        // the bytes go to FILE.part and replace FILE only once all are written: here FILE.part
        // cannot be created (a folder of that name), and FILE keeps what it held
        writeBinaryFile(file("kept.npy"), "what was there before");
        std::filesystem::create_directory(file("kept.npy.part"));
        Tensor t;
        t.shape = {2};
        t.data = {1.0f, 2.0f};
        const auto message = thrownMessage<IoError>([&] { writeNpy(file("kept.npy"), t); });
        QVERIFY(message && message->find("kept.npy: cannot open for writing") != std::string::npos);
        QCOMPARE(readText(file("kept.npy")), std::string("what was there before"));
        std::filesystem::remove(file("kept.npy.part"));
        writeNpy(file("kept.npy"), t); // and once it can be written, it is replaced whole
        QCOMPARE(readNpy(file("kept.npy")).data, t.data);
        QVERIFY(!std::filesystem::exists(file("kept.npy.part")));
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
    void refusesHeadersThatClaimWhatTheFileDoesNotHave_data()
    {
        // a size a file claims is checked before anything is allocated for it; each row names the file
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("expected");
        QTest::newRow("2 GB in a small file") << "(16384, 32768)" << "runs past the end of the file";
        QTest::newRow("product overflows 64 bits") << "(4294967296, 4294967296, 4294967296)" << "implausibly large";
        QTest::newRow("more digits than int64") << "(123456789012345678901234,)" << "implausibly large";
        QTest::newRow("not integers") << "(3.5,)" << "not a tuple of integers";
        QTest::newRow("no closing parenthesis") << "(3, " << "has no shape";
    }
    void readsAnEmptyArray()
    {
        // found by fuzz_npy: an empty array copied from a null buffer (undefined behaviour)
        const float none = 0.0f;
        writeNpy(file("empty.npy"), {0}, &none);
        const Tensor t = readNpy(file("empty.npy"));
        QCOMPARE(t.shape, (std::vector<std::int64_t>{0}));
        QVERIFY(t.data.empty());
    }
    void refusesHeadersThatClaimWhatTheFileDoesNotHave()
    {
        QFETCH(QString, shape);
        QFETCH(QString, expected);
        std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape.toStdString() + " }";
        header.append(64 - (10 + header.size() + 1) % 64, ' ');
        header += '\n';
        const std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size() & 0xff)
                                  + static_cast<char>(header.size() >> 8) + header + std::string(64, '\0');
        writeBinaryFile(file("claim.npy"), bytes);
        const auto msg = thrownMessage<FormatError>([&] { readNpy(file("claim.npy")); });
        QVERIFY2(msg && msg->find(expected.toStdString()) != std::string::npos && msg->find("claim.npy") != std::string::npos,
                 msg ? msg->c_str() : "no error");
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "TestNpy.moc"
