// Golden tests: attnscope's forward pass against PyTorch's own modules
// (tests/data/golden, made by tools/make_golden.py; PyTorch is not needed here).

#include "interpret/Rollout.h"
#include "model/torch_encoder/EncoderModel.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace attn;
using namespace attn::test;

namespace {

constexpr float kTolerance = 1e-5f; // absolute, on every weight and logit

struct GoldenInput {
    std::vector<int> ids;
    std::vector<bool> padding;
};

GoldenInput readInput(const std::filesystem::path& dir)
{
    const auto j = nlohmann::json::parse(readText(dir / "input.json"));
    GoldenInput in;
    in.ids = j.at("ids").get<std::vector<int>>();
    in.padding = j.at("key_padding").get<std::vector<bool>>();
    return in;
}

std::string layerFile(int l)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "attention_layer_%02d.npy", l);
    return buf;
}

} // namespace

class TestGolden : public QObject {
    Q_OBJECT
private slots:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* c : {"postln_relu", "preln_gelu", "postln_relu_padded", "preln_gelu_padded", "postln_gelu_nopos",
                              "preln_gelu_f16", "preln_gelu_bf16", "bert_kmer3", "bert_kmer3_padded"})
            QTest::newRow(c) << QString(c);
    }
    void matchesPyTorch()
    {
        QFETCH(QString, name);
        const auto dir = goldenDir(name.toStdString());
        const auto model = loadModel(dir);
        const GoldenInput in = readInput(dir);
        const RunResult r = model->run(in.ids, in.padding, {});
        const Tensor logits = readNpy(dir / "expected/logits.npy");
        QCOMPARE(logits.numel(), static_cast<std::int64_t>(r.logits.size()));
        QVERIFY2(maxAbsDiff(r.logits.data(), logits.data.data(), logits.data.size()) < kTolerance, "logits differ");
        QVERIFY2(maxAbsDiff(r.hidden, readNpy(dir / "expected/hidden.npy")) < kTolerance, "hidden states differ");
        const Index l = r.attention.length();
        for (int layer = 0; layer < model->config().nLayers; ++layer) {
            const Tensor expected = readNpy(dir / "expected" / layerFile(layer));
            QCOMPARE(expected.shape, (std::vector<std::int64_t>{model->config().nHeads, l, l}));
            std::vector<float> actual(expected.data.size());
            r.attention.copyLayer(layer, actual.data());
            const float diff = maxAbsDiff(actual.data(), expected.data.data(), actual.size());
            QVERIFY2(diff < kTolerance, qPrintable(QString("layer %1 attention differs by %2").arg(layer).arg(diff)));
        }
    }
    void rolloutMatchesReference_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("fusion");
        QTest::addColumn<float>("discard");
        QTest::addColumn<int>("start");
        for (const char* c : {"postln_relu", "preln_gelu", "postln_relu_padded", "preln_gelu_padded"}) {
            QTest::addRow("%s mean", c) << QString(c) << "rollout_mean.npy" << 0 << 0.0f << 0;
            QTest::addRow("%s max discard", c) << QString(c) << "rollout_max_discard30.npy" << 1 << 0.3f << 0;
            QTest::addRow("%s min start1", c) << QString(c) << "rollout_min_start1.npy" << 2 << 0.0f << 1;
        }
    }
    void rolloutMatchesReference()
    {
        QFETCH(QString, name);
        QFETCH(QString, file);
        QFETCH(int, fusion);
        QFETCH(float, discard);
        QFETCH(int, start);
        const auto dir = goldenDir(name.toStdString());
        const GoldenInput in = readInput(dir);
        const RunResult r = loadModel(dir)->run(in.ids, in.padding, {});
        const Matrix rollout = attentionRollout(r.attention, in.padding, {static_cast<HeadFusion>(fusion), discard, start});
        const float diff = maxAbsDiff(rollout, readNpy(dir / "expected" / file.toStdString()));
        QVERIFY2(diff < kTolerance, qPrintable(QString("rollout differs by %1").arg(diff)));
    }
    void bertTokenizesLikeTheReference()
    {
        const auto dir = goldenDir("bert_kmer3");
        const auto model = loadModel(dir);
        QCOMPARE(model->config().family, std::string("bert"));
        QCOMPARE(model->tokenizer().config().k, 3);
        const auto j = nlohmann::json::parse(readText(dir / "input.json"));
        const Encoding e = model->tokenizer().encode(j.at("sequence").get<std::string>());
        QCOMPARE(e.ids, j.at("ids").get<std::vector<int>>());
        QCOMPARE(e.tokens.back(), std::string("[SEP]"));
        QCOMPARE(e.unknownCount, 3); // the three 3-mers that contain the N
        QCOMPARE(model->config().labels, (std::vector<std::string>{"non-promoter", "promoter"}));
        // the checkpoint's own parameter count: embeddings (69 + 64 + 2) x 16 + LN 32,
        // 2 layers of (4 x (16 x 16 + 16) + 32 x 16 + 32 + 16 x 32 + 16 + 2 x 32), pooler 272, classifier 34
        const std::int64_t layer = 4 * (16 * 16 + 16) + 32 * 16 + 32 + 16 * 32 + 16 + 2 * 32;
        QCOMPARE(model->weights().parameterCount(), (69 + 64 + 2) * 16 + 32 + 2 * layer + 272 + 34);
    }
    void float16StoreIsCloseToFloat32()
    {
        const auto dir = goldenDir("preln_gelu");
        const GoldenInput in = readInput(dir);
        const auto model = loadModel(dir);
        RunOptions half;
        half.store.type = StoreType::F16;
        const RunResult a = model->run(in.ids, in.padding, {});
        const RunResult b = model->run(in.ids, in.padding, half);
        QVERIFY(b.attention.bytes() * 2 == a.attention.bytes());
        const Matrix ha = a.attention.head(1, 2), hb = b.attention.head(1, 2);
        const float diff = (ha - hb).cwiseAbs().maxCoeff();
        QVERIFY2(diff < 5e-4f && diff > 0.0f, qPrintable(QString::number(diff))); // float16 has 11 significant bits
        QCOMPARE(a.logits, b.logits); // the store never feeds back into the forward pass
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "TestGolden.moc"
