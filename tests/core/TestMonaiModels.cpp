// MONAI bundles (ViT classifiers and UNETR) against the PyTorch reference written from MONAI's code
// (tools/monai_networks.py, bundles and outputs by tools/make_monai_golden.py, random weights):
// every attention weight within 1e-5, logits and segmentation logits within 1e-4; the bundle
// config's references, YAML, old and new parameter names; malformed bundles refused by name.

#include "checkpoint/TorchCheckpoint.h"
#include "io/Npy.h"
#include "model/ModelFamily.h"
#include "model/monai_unetr/Unetr.h"
#include "model/monai_vit/MonaiVit.h"
#include "model/monai_vit/VitNames.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace attn;
using namespace attn::test;

namespace {

std::filesystem::path bundle(const std::string& name)
{
    return goldenDir("monai") / name;
}

Grid regionOf(const std::filesystem::path& dir)
{
    const Tensor input = readNpy(dir / "input.npy");
    Grid g;
    g.channels = static_cast<int>(input.shape.at(0));
    g.size = {static_cast<int>(input.shape.at(1)), static_cast<int>(input.shape.at(2)), static_cast<int>(input.shape.at(3))};
    g.data = input.data;
    return g;
}

void edit(const std::filesystem::path& file, const std::string& from, const std::string& to)
{
    std::string text = readText(file);
    const auto at = text.find(from);
    QVERIFY2(at != std::string::npos, from.c_str());
    text.replace(at, from.size(), to);
    writeText(file, text);
}

} // namespace

class TestMonaiModels : public QObject {
    Q_OBJECT

private slots:
    void vitMatchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("tokens");
        QTest::newRow("conv, learnable, Tanh, @ references") << "vit_conv" << 13;
        QTest::newRow("perceptron, sincos, no Tanh, qkv bias, YAML with # references, cross-attention tensors") << "vit_perceptron" << 9;
    }
    void vitMatchesPyTorch()
    {
        QFETCH(QString, name);
        QFETCH(int, tokens);
        const auto dir = bundle(name.toStdString());
        const auto model = modelAs<MonaiVit>(loadModelPath(dir), dir.string(), "a MONAI ViT");
        QCOMPARE(model->config().tokens(), tokens);
        const RunResult r = model->run(regionOf(dir), {});
        QCOMPARE(r.attention.length(), Index(tokens));
        const float attention = layerFilesDiff(r.attention, dir);
        QVERIFY2(attention < 1e-5f, qPrintable(QString("attention differs by %1").arg(attention)));
        const Tensor logits = readNpy(dir / "expected_logits.npy");
        QCOMPARE(static_cast<std::int64_t>(r.logits.size()), logits.numel());
        const float diff = maxAbsDiff(r.logits.data(), logits.data.data(), logits.data.size());
        QVERIFY2(diff < 1e-4f, qPrintable(QString("logits differ by %1").arg(diff)));
    }
    void unetrMatchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("conv patches, conv and residual blocks") << "unetr_conv";
        QTest::newRow("old pos_embed name, perceptron, plain blocks, affine norms, qkv bias") << "unetr_perceptron";
    }
    void unetrMatchesPyTorch()
    {
        QFETCH(QString, name);
        const auto dir = bundle(name.toStdString());
        const auto model = modelAs<Unetr>(loadModelPath(dir), dir.string(), "a MONAI UNETR");
        const Grid region = regionOf(dir);
        const UnetrRun r = model->run(region, {});
        const float attention = layerFilesDiff(r.encoder.attention, dir);
        QVERIFY2(attention < 1e-5f, qPrintable(QString("attention differs by %1").arg(attention)));
        const Tensor seg = readNpy(dir / "expected_segmentation.npy");
        QCOMPARE(r.segmentation.channels, model->config().outChannels);
        QCOMPARE(r.segmentation.size, region.size);
        QCOMPARE(static_cast<std::int64_t>(r.segmentation.data.size()), seg.numel());
        const float diff = maxAbsDiff(r.segmentation.data.data(), seg.data.data(), seg.data.size());
        QVERIFY2(diff < 1e-4f, qPrintable(QString("segmentation logits differ by %1").arg(diff)));
    }
    void sincosTableIsMonais()
    {
        // MONAI stores the fixed table in the state dict; the one computed for a file without it must equal it.
        const TensorMap stored = readTorchStateDict(bundle("vit_perceptron") / "models" / "model.pt");
        const Tensor& table = stored.at("patch_embedding.position_embeddings");
        const Tensor computed = sincosPositionTable({2, 2, 2}, 36);
        QCOMPARE(computed.numel(), table.numel());
        QVERIFY(maxAbsDiff(computed.data.data(), table.data.data(), table.data.size()) < 1e-6f);
        const Tensor wide = sincosPositionTable({3, 4, 5}, 12); // axis 1 first: channel 0 is sin(w), channel 4 sin(h)
        QCOMPARE(wide.data[static_cast<std::size_t>(((1 * 4 + 2) * 5 + 3) * 12 + 0)], std::sin(2.0f));
        QCOMPARE(wide.data[static_cast<std::size_t>(((1 * 4 + 2) * 5 + 3) * 12 + 4)], std::sin(1.0f));
        QCOMPARE(wide.data[static_cast<std::size_t>(((1 * 4 + 2) * 5 + 3) * 12 + 8)], std::sin(3.0f));
    }
    void describesTheNetwork()
    {
        const auto model = loadModelPath(bundle("unetr_conv"));
        const auto info = nlohmann::json::parse(describeModel(*model, "b"));
        QCOMPARE(info.at("family").get<std::string>(), std::string("monai_unetr"));
        QVERIFY(info.at("img_size") == nlohmann::json({32, 32, 48}));
        QVERIFY(info.at("patch_grid") == nlohmann::json({2, 2, 3}));
        QCOMPARE(info.at("out_channels").get<int>(), 3);
        QCOMPARE(info.at("proj_type").get<std::string>(), std::string("conv"));
        const auto old = nlohmann::json::parse(describeModel(*loadModelPath(bundle("unetr_perceptron")), "b"));
        QCOMPARE(old.at("proj_type").get<std::string>(), std::string("perceptron"));
        QCOMPARE(old.at("conv_block").get<bool>(), false);
        QVERIFY(isModelPath(bundle("vit_perceptron")));
        QVERIFY(!isModelPath(bundle("vit_perceptron") / "configs"));
    }
    void malformedBundles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("message");
        const QString cfg = "configs/inference.json";
        QTest::newRow("unknown _target_") << cfg << "\"_target_\": \"monai.networks.nets.UNETR\"" << "\"_target_\": \"SwinUNETR\""
                                          << "inference.json: 'network_def::_target_' is \"SwinUNETR\"";
        QTest::newRow("python expression") << cfg << "\"feature_size\": 4" << "\"feature_size\": \"$4 * 1\""
                                           << "'network_def::feature_size' is a Python expression";
        QTest::newRow("dangling reference") << cfg << "\"img_size\": \"@roi\"" << "\"img_size\": \"@nowhere\""
                                            << "refers to \"@nowhere\", which the config does not define";
        QTest::newRow("reference cycle") << cfg << "\"roi\": [" << "\"roi\": \"@roi\", \"unused\": ["
                                         << "nested deeper than 32";
        QTest::newRow("tensors that do not fit") << cfg << "\"hidden_size\": 24" << "\"hidden_size\": 36"
                                                 << "model.pt: tensor 'vit.patch_embedding.patch_embeddings.weight'";
        QTest::newRow("wrong projection") << cfg << "\"proj_type\": \"conv\"" << "\"proj_type\": \"perceptron\""
                                          << "model.pt: missing tensor 'vit.patch_embedding.patch_embeddings.1.weight'";
        QTest::newRow("not 3D") << cfg << "\"dropout_rate\": 0.0" << "\"spatial_dims\": 2" << "'spatial_dims' must be 3";
        QTest::newRow("missing model.pt") << "models/model.pt" << "" << "" << "model.pt: missing; a bundle's weights are models/model.pt";
        QTest::newRow("TorchScript only") << "models/model.ts" << "" << "" << "model.ts: a TorchScript model, which attnscope does not run";
    }
    void malformedBundles()
    {
        QFETCH(QString, name);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        const auto dir = copyToTemp(tmp, bundle("unetr_conv"), "bundle");
        if (name.startsWith("models/")) {
            std::filesystem::remove(dir / "models" / "model.pt");
            if (name.endsWith(".ts"))
                writeText(dir / name.toStdString(), "PK");
        } else {
            edit(dir / name.toStdString(), from.toStdString(), to.toStdString());
        }
        const auto msg = thrownMessage<Error>([&] { loadModelPath(dir); });
        QVERIFY2(msg && msg->find(message.toStdString()) != std::string::npos, msg ? msg->c_str() : "no error");
    }
};

QTEST_GUILESS_MAIN(TestMonaiModels)
#include "TestMonaiModels.moc"
