// Attributions beyond raw attention (core/interpret/Attributions): Attn-N, GlobEnc and ALTI of every
// layer, and their roll-outs, against the PyTorch references' published formulas
// (tests/data/golden/attributions, made by tools/make_attribution_golden.py), pre-LN and post-LN with
// padding; the reconstruction check; what a run that cannot be decomposed is told.

#include "interpret/Attributions.h"
#include "model/ModelFamily.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/Error.h"

#include "FamilyRunners.h"
#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace attn;
using namespace attn::test;

namespace {

/// The largest difference between a run's per-layer matrices and a reference [layers, T, T],
/// relative to the reference's largest magnitude (at least 1).
float layersDiff(const std::vector<Matrix>& layers, const Tensor& expected)
{
    float worst = 0, range = 1;
    for (float v : expected.data)
        range = std::max(range, std::abs(v));
    const auto per = static_cast<std::size_t>(layers.front().size());
    if (expected.data.size() != per * layers.size())
        return std::numeric_limits<float>::infinity();
    for (std::size_t l = 0; l < layers.size(); ++l)
        worst = std::max(worst, maxAbsDiff(layers[l].data(), expected.data.data() + l * per, per));
    return worst / range;
}

float rowDiff(const RowVector& row, const Tensor& expected)
{
    float range = 1;
    for (float v : expected.data)
        range = std::max(range, std::abs(v));
    if (static_cast<std::size_t>(row.size()) != expected.data.size())
        return std::numeric_limits<float>::infinity();
    return maxAbsDiff(row.data(), expected.data.data(), expected.data.size()) / range;
}

constexpr float kTolerance = 1e-5f; // relative to each reference's largest value

} // namespace

class TestAttributions : public QObject {
    Q_OBJECT

private slots:
    void matchesThePublishedFormulas_data()
    {
        QTest::addColumn<QString>("family");
        std::vector<std::string> families;
        for (const auto& f : std::filesystem::directory_iterator(goldenDir("attributions")))
            families.push_back(f.path().filename().string());
        std::sort(families.begin(), families.end());
        QVERIFY(families.size() >= 4);
        for (const auto& f : families)
            QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }
    void matchesThePublishedFormulas()
    {
        QFETCH(QString, family);
        const auto dir = goldenDir("attributions") / family.toStdString();
        AttributionRecorder recorder;
        RunOptions options;
        options.recorder = &recorder;
        const FamilyRun run = runnerFor(family.toStdString())(options);
        QCOMPARE(static_cast<int>(recorder.layers().size()), run.attention.layers());
        for (const auto& [method, file] : {std::pair{AttributionMethod::AttnN, "attn_n"}, {AttributionMethod::GlobEnc, "globenc"},
                                           {AttributionMethod::Alti, "alti"}}) {
            const std::vector<Matrix> layers = methodLayers(recorder.layers(), method);
            const float diff = layersDiff(layers, readNpy(dir / (std::string(file) + ".npy")));
            QVERIFY2(diff < kTolerance, qPrintable(QString("%1 differs by %2 (relative)").arg(file).arg(diff)));
            if (method == AttributionMethod::AttnN)
                continue;
            const float rolled = rowDiff(rolledOutRow(layers, 0), readNpy(dir / (std::string(file) + "_rollout.npy")));
            QVERIFY2(rolled < kTolerance, qPrintable(QString("%1's roll-out differs by %2 (relative)").arg(file).arg(rolled)));
        }
        for (const LayerAttribution& l : recorder.layers()) // the parts add up to the layer's real vector
            QVERIFY2(l.reconstructionError < 1e-5, qPrintable(QString("reconstruction error %1").arg(l.reconstructionError)));
    }
    void everyFamilysPartsAddUp_data()
    {
        QTest::addColumn<QString>("family");
        for (const char* f : {"torch_encoder_preln", "torch_encoder_postln_padded", "bert", "ct_encoder", "ehr_encoder", "esm",
                              "nucleotide_transformer_v2", "protbert", "dnabert2", "monai_vit", "monai_unetr", "msa_transformer"})
            QTest::newRow(f) << QString(f);
    }
    void everyFamilysPartsAddUp()
    {
        // the decomposition of every family (rotary, ALiBi, gated feed-forwards, pre-LN and post-LN, and
        // the MSA Transformer's query row through its tied row attention): its parts give the layer's
        // real vector, ALTI's rows sum to 1
        QFETCH(QString, family);
        AttributionRecorder recorder;
        RunOptions options;
        options.recorder = &recorder;
        const FamilyRun run = runnerFor(family.toStdString())(options);
        QCOMPARE(static_cast<int>(recorder.layers().size()), run.attention.layers());
        for (const LayerAttribution& l : recorder.layers()) {
            QVERIFY2(l.reconstructionError < 1e-5, qPrintable(QString("reconstruction error %1").arg(l.reconstructionError)));
            const Eigen::VectorXf sums = l.alti.rowwise().sum();
            QVERIFY(((sums.array() - 1).abs() < 1e-4f || sums.array() == 0).all());
            QVERIFY(l.attnN.allFinite() && l.globEnc.allFinite() && (l.globEnc.array() >= 0).all());
        }
    }
    void changedHeadsArePartOfTheDecomposition_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("edit");
        for (const char* f : {"torch_encoder_preln", "torch_encoder_postln_padded", "esm", "msa_transformer"})
            for (const char* e : {"0,1:zero", "1,0:mean", "0,0:uniform", "1,1:T=2", "0,2:scale=0.5", "1,2:copy=0"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(f, e))) << QString(f) << QString(e);
        QTest::newRow("msa_transformer 1,1,column:zero") << "msa_transformer" << "1,1,column:zero"; // outside the decomposition
    }
    void changedHeadsArePartOfTheDecomposition()
    {
        // a run with a head changed is decomposed as it ran: the parts still give the layer's real vector
        QFETCH(QString, family);
        QFETCH(QString, edit);
        AttributionRecorder recorder;
        RunOptions options;
        options.recorder = &recorder;
        options.interventions = Interventions({parseHeadEdit(edit.toStdString())});
        const FamilyRun run = runnerFor(family.toStdString())(options);
        QCOMPARE(static_cast<int>(recorder.layers().size()), run.attention.layers());
        for (const LayerAttribution& l : recorder.layers())
            QVERIFY2(l.reconstructionError < 1e-5, qPrintable(QString("reconstruction error %1").arg(l.reconstructionError)));
    }
    void altiRowsSumToOneAndPaddingGetsNothing()
    {
        const auto dir = goldenDir("postln_relu_padded");
        const auto input = nlohmann::json::parse(readText(dir / "input.json"));
        const auto padding = input.at("key_padding").get<std::vector<bool>>();
        AttributionRecorder recorder;
        RunOptions options;
        options.recorder = &recorder;
        loadModel(dir)->run(input.at("ids").get<std::vector<int>>(), padding, options);
        for (const LayerAttribution& l : recorder.layers())
            for (Index i = 0; i < l.alti.rows(); ++i) {
                const bool pad = padding[static_cast<std::size_t>(i)];
                QVERIFY(std::abs(l.alti.row(i).sum() - (pad ? 0.0f : 1.0f)) < 1e-5f);
                if (pad)
                    QVERIFY(l.alti.col(i).isZero(0) && l.attnN.col(i).isZero(0) && l.globEnc.col(i).isZero(0) && l.attnN.row(i).isZero(0));
            }
    }
    void aStoreWithoutTheLayersIsRefusedByName()
    {
        const auto model = loadModel(goldenDir("preln_gelu"));
        for (bool half : {false, true}) {
            AttributionRecorder recorder;
            RunOptions options;
            options.recorder = &recorder;
            options.store.keepNone = !half;
            if (half)
                options.store.type = StoreType::F16;
            const auto thrown = thrownMessage<Error>([&] { model->run({1, 3, 4, 5, 2}, {}, options); });
            QVERIFY(thrown);
            QVERIFY2(thrown->find("every layer's attention kept as float32; layer 0") != std::string::npos, thrown->c_str());
        }
    }
    void methodsAreParsedByName()
    {
        for (const char* name : {"attention", "rollout", "attn-n", "globenc", "alti"})
            QCOMPARE(QString::fromStdString(attributionMethodName(parseAttributionMethod(name))), QString(name));
        QVERIFY(rollsOut(AttributionMethod::Alti) && rollsOut(AttributionMethod::GlobEnc) && !rollsOut(AttributionMethod::AttnN));
        QVERIFY(decomposes(AttributionMethod::AttnN) && !decomposes(AttributionMethod::Rollout));
        const auto thrown = thrownMessage<Error>([] { parseAttributionMethod("shap"); });
        QVERIFY(thrown && thrown->find("unknown attribution method 'shap'") != std::string::npos);
    }
    void rolledOutRowIsTheRowOfTheProduct()
    {
        Matrix a(3, 3), b(3, 3);
        a << 0.5f, 0.25f, 0.25f, 0.1f, 0.8f, 0.1f, 0, 0.5f, 0.5f;
        b << 0.2f, 0.3f, 0.5f, 1, 0, 0, 0.3f, 0.3f, 0.4f;
        const Matrix product = b * a; // layer 0 is a, layer 1 b
        QVERIFY((rolledOutRow({a, b}, 0) - product.row(0)).cwiseAbs().maxCoeff() < 1e-6f);
        QVERIFY((rolledOutRow({a, b}, 2) - product.row(2)).cwiseAbs().maxCoeff() < 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestAttributions)
#include "TestAttributions.moc"
