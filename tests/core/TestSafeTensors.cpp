#include "io/BinaryFile.h"
#include "io/SafeTensors.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <cstring>

using namespace attn;

namespace {

TensorMap sample()
{
    TensorMap m;
    m["a.weight"] = Tensor{{2, 3}, {1.0f, -2.0f, 0.5f, 3.25f, 0.0f, -0.125f}};
    m["b.bias"] = Tensor{{3}, {7.0f, 8.0f, 9.0f}};
    return m;
}

std::string header(const std::string& json)
{
    std::string len(8, '\0');
    for (int i = 0; i < 8; ++i)
        len[static_cast<std::size_t>(i)] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
    return len + json;
}

} // namespace

class TestSafeTensors : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path file(const char* name) { return std::filesystem::path(tmp_.path().toStdString()) / name; }

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<int>("dtype");
        QTest::newRow("F32") << static_cast<int>(DType::F32);
        QTest::newRow("F16") << static_cast<int>(DType::F16);
        QTest::newRow("BF16") << static_cast<int>(DType::BF16);
    }
    void roundTrip()
    {
        QFETCH(int, dtype);
        const auto path = file("rt.safetensors");
        writeSafeTensors(path, sample(), static_cast<DType>(dtype));
        const TensorMap back = readSafeTensors(path);
        QCOMPARE(back.size(), std::size_t{2});
        QCOMPARE(back.at("a.weight").shape, (std::vector<std::int64_t>{2, 3}));
        // every sample value is exactly representable in all three dtypes
        QCOMPARE(back.at("a.weight").data, sample().at("a.weight").data);
        QCOMPARE(back.at("b.bias").data, sample().at("b.bias").data);
    }
    void halfPrecisionRounds()
    {
        const auto path = file("round.safetensors");
        writeSafeTensors(path, {{"x", Tensor{{1}, {0.1f}}}}, DType::BF16);
        const float v = readSafeTensors(path).at("x").data[0];
        QVERIFY(v != 0.1f);
        QVERIFY(std::abs(v - 0.1f) < 1e-3f);
    }
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        const std::string data(8, '\0');
        auto row = [](const char* name, const std::string& b, const char* e) {
            QTest::newRow(name) << QByteArray::fromStdString(b) << QString(e);
        };
        row("empty file", "", "too short");
        row("short file", "abc", "too short");
        row("header longer than file", header(ok).substr(0, 20), "longer than the rest of the file");
        row("truncated data", header(ok) + data.substr(0, 4), "run past the end of the data");
        row("bad json", header("{\"t\": [") + data, "not valid JSON");
        row("not an object", header("[1,2]") + data, "must be a JSON object");
        row("wrong dtype", header("{\"t\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}") + data,
            "unsupported dtype 'F64'");
        row("integer buffer of the wrong size", header("{\"t\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,8]}}") + data,
            "shape [2] of I64 needs 16 bytes but data_offsets span 8");
        row("missing dtype", header("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}") + data, "missing 'dtype'");
        row("negative shape", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}") + data,
            "non-negative integers");
        row("shape disagrees with offsets", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}") + data,
            "needs 12 bytes but data_offsets span 8");
        row("offsets past end", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}") + data,
            "run past the end of the data");
        row("offsets reversed", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}") + data,
            "is after end");
        row("overlapping tensors",
            header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                   "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}") + data,
            "overlap");
        row("huge shape", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}") + data,
            "implausibly large");
        // found by fuzz_safetensors: a number beyond double is nlohmann's out_of_range, not a parse_error
        row("fuzz: number beyond double", header("{\"t\":{\"dtype\":\"F32\",\"shape\":[1e400],\"data_offsets\":[0,8]}}") + data,
            "not valid JSON");
    }
    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const auto path = file("bad.safetensors");
        writeBinaryFile(path, bytes.toStdString());
        try {
            readSafeTensors(path);
            QFAIL("no error for a malformed file");
        } catch (const FormatError& e) {
            const QString msg = e.what();
            QVERIFY2(msg.contains(expected), qPrintable(msg));
            QVERIFY2(msg.startsWith(QString::fromStdString(path.string())), qPrintable(msg)); // names the file
        }
    }
    void integerBuffersAreLeftOut()
    {
        // Hugging Face ESM-2 checkpoints carry esm.embeddings.position_ids as I64 [1, n]: checked, not read.
        const auto path = file("buffers.safetensors");
        std::string data(24, '\0');
        const float one = 1.0f;
        std::memcpy(data.data() + 16, &one, sizeof one);
        writeBinaryFile(path, header("{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
                                     "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}") + data);
        const TensorMap t = readSafeTensors(path);
        QCOMPARE(t.size(), std::size_t{1});
        QCOMPARE(t.at("w").data, (std::vector<float>{1.0f, 0.0f}));
    }
    void errorNamesTheTensor()
    {
        const auto path = file("named.safetensors");
        writeBinaryFile(path, header("{\"encoder.x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}") + std::string(8, '\0'));
        QVERIFY_THROWS_EXCEPTION(FormatError, readSafeTensors(path));
        try {
            readSafeTensors(path);
        } catch (const FormatError& e) {
            QVERIFY(QString(e.what()).contains("tensor 'encoder.x'"));
        }
    }
    void missingFileIsIoError()
    {
        QVERIFY_THROWS_EXCEPTION(IoError, readSafeTensors(file("does-not-exist.safetensors")));
        QVERIFY_THROWS_EXCEPTION(IoError, readSafeTensors(tmp_.path().toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestSafeTensors)
#include "TestSafeTensors.moc"
