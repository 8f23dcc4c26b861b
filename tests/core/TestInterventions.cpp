// Interventions on heads (core/attention/HeadEdits) against the PyTorch references with the same
// edits (tests/data/golden/interventions, made by tools/make_intervention_golden.py), for every
// family; the edits' parsing and checks; the recorder hook point.

#include "attention/HeadEdits.h"
#include "model/ModelFamily.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/Error.h"

#include "FamilyRunners.h"
#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>

using namespace attn;
using namespace attn::test;

namespace {

constexpr float kAttentionTolerance = 1e-5f; // as the issue asks: every weight
constexpr float kLogitTolerance = 1e-4f;     // and logits (a segmentation's logits included)

Interventions editsOf(const std::filesystem::path& dir)
{
    std::vector<HeadEdit> edits;
    const auto json = nlohmann::json::parse(readText(dir / "edits.json"));
    for (const auto& spec : json.at("edits"))
        edits.push_back(parseHeadEdit(spec.get<std::string>()));
    return Interventions(std::move(edits));
}

/// Keeps what the recorder hook point is given.
struct KeptOutputs : ForwardRecorder {
    std::map<int, Matrix> inputs, outputs;
    void layerInput(int layer, const ConstMatrixRef& x) override { inputs[layer] = x; }
    void headOutputs(int layer, AttentionPart part, const ConstMatrixRef& z) override
    {
        if (part == AttentionPart::Main)
            outputs[layer] = z;
    }
};

} // namespace

class TestInterventions : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("edits");
        const auto root = goldenDir("interventions");
        std::vector<std::filesystem::path> cases;
        for (const auto& family : std::filesystem::directory_iterator(root))
            for (const auto& c : std::filesystem::directory_iterator(family.path()))
                cases.push_back(c.path());
        std::sort(cases.begin(), cases.end());
        QVERIFY(cases.size() >= 12 * 5); // every family, five cases each at least
        for (const auto& c : cases)
            QTest::newRow(qPrintable(QString::fromStdString(c.parent_path().filename().string() + " " + c.filename().string())))
                << QString::fromStdString(c.parent_path().filename().string()) << QString::fromStdString(c.string());
    }
    void matchesPyTorch()
    {
        QFETCH(QString, family);
        QFETCH(QString, edits);
        const std::filesystem::path dir = edits.toStdString();
        RunOptions options;
        options.interventions = editsOf(dir);
        QVERIFY(!options.interventions.empty());
        const FamilyRun r = runnerFor(family.toStdString())(options);
        const Tensor logits = readNpy(dir / "logits.npy");
        QCOMPARE(static_cast<std::int64_t>(r.logits.size()), logits.numel());
        const float logitDiff = maxAbsDiff(r.logits.data(), logits.data.data(), r.logits.size());
        QVERIFY2(logitDiff < kLogitTolerance, qPrintable(QString("logits differ by %1").arg(logitDiff)));
        const float attention = layerFilesDiff(r.attention, dir, "attention_layer_");
        QVERIFY2(attention < kAttentionTolerance, qPrintable(QString("attention differs by %1").arg(attention)));
        if (r.column.layers() > 0) {
            const float column = layerFilesDiff(r.column, dir, "column_attention_layer_");
            QVERIFY2(column < kAttentionTolerance, qPrintable(QString("column attention differs by %1").arg(column)));
        }
    }
    void editsAreParsedAndDescribed_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("described");
        QTest::newRow("zero") << "2,5:zero" << "L2H5 zeroed";
        QTest::newRow("mean") << "0,1:mean" << "L0H1 mean-ablated";
        QTest::newRow("uniform") << "3,0:uniform" << "L3H0 uniform";
        QTest::newRow("temperature") << "0,1:T=2" << "L0H1 T=2";
        QTest::newRow("scale") << "1,1:scale=0.5" << "L1H1 scaled x0.5";
        QTest::newRow("copy") << "1,2:copy=0" << "L1H2 as H0";
        QTest::newRow("column") << "1,3,column:zero" << "L1 column H3 zeroed";
    }
    void editsAreParsedAndDescribed()
    {
        QFETCH(QString, spec);
        QFETCH(QString, described);
        const HeadEdit e = parseHeadEdit(spec.toStdString());
        QCOMPARE(QString::fromStdString(e.describe()), described);
        QCOMPARE(QString::fromStdString(e.spec()), spec); // the same text back
        QCOMPARE(parseHeadEdit(e.spec()), e);
    }
    void badEditsAreRefusedByName_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("no kind") << "2,5" << "expected LAYER,HEAD:KIND";
        QTest::newRow("unknown kind") << "2,5:halve" << "unknown intervention \"halve\"";
        QTest::newRow("negative head") << "2,-1:zero" << "the head must be a whole number from 0";
        QTest::newRow("zero temperature") << "0,0:T=0" << "the temperature must be a positive number";
        QTest::newRow("text layer") << "two,1:zero" << "the layer must be a whole number";
        QTest::newRow("other part") << "1,1,row:zero" << "LAYER,HEAD,column:KIND";
    }
    void badEditsAreRefusedByName()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        const auto thrown = thrownMessage<Error>([&] { parseHeadEdit(spec.toStdString()); });
        QVERIFY(thrown);
        QVERIFY2(thrown->find(message.toStdString()) != std::string::npos, thrown->c_str());
        QVERIFY2(thrown->find(spec.toStdString()) != std::string::npos, thrown->c_str());
    }
    void twoEditsOfOnePlaceAreRefused()
    {
        const auto attention = thrownMessage<Error>([] { Interventions({parseHeadEdit("1,2:T=2"), parseHeadEdit("1,2:uniform")}); });
        QVERIFY(attention && attention->find("attention is already changed") != std::string::npos);
        const auto output = thrownMessage<Error>([] { Interventions({parseHeadEdit("1,2:zero"), parseHeadEdit("1,2:mean")}); });
        QVERIFY(output && output->find("output is already changed") != std::string::npos);
        const Interventions both({parseHeadEdit("1,2:T=2"), parseHeadEdit("1,2:zero")}); // one of each is allowed
        QCOMPARE(QString::fromStdString(both.describe()), QString("L1H2 T=2, L1H2 zeroed"));
    }
    void editsOutsideTheModelAreRefusedBeforeTheRun()
    {
        const auto model = loadModel(goldenDir("preln_gelu")); // 3 layers of 4 heads
        RunOptions options;
        for (const auto& [spec, message] : std::vector<std::pair<std::string, std::string>>{
                 {"3,0:zero", "the model has 3 layers (0 to 2)"},
                 {"0,4:zero", "the model has 4 heads per layer (0 to 3)"},
                 {"0,1:copy=7", "there is no head 7 to copy"},
                 {"0,1,column:zero", "the model has no column attention"}}) {
            options.interventions = Interventions({parseHeadEdit(spec)});
            const auto thrown = thrownMessage<Error>([&] { model->run({1, 3, 4, 5}, {}, options); });
            QVERIFY2(thrown && thrown->find(message) != std::string::npos, thrown ? thrown->c_str() : spec.c_str());
        }
    }
    void theRecorderSeesTheEditedOutputs()
    {
        const auto model = loadModel(goldenDir("preln_gelu"));
        const std::vector<int> ids{1, 3, 4, 5, 6, 3, 2};
        KeptOutputs plain;
        RunOptions options;
        options.recorder = &plain;
        const RunResult before = model->run(ids, {}, options);
        QCOMPARE(plain.inputs.size(), std::size_t{3});
        QCOMPARE(plain.outputs.size(), std::size_t{3});
        const Index dh = model->config().headDim();
        KeptOutputs edited;
        options.recorder = &edited;
        options.interventions = Interventions({parseHeadEdit("1,2:zero"), parseHeadEdit("1,3:mean")});
        const RunResult after = model->run(ids, {}, options);
        QCOMPARE(edited.inputs.at(1), plain.inputs.at(1)); // below the edited layer nothing changes
        QVERIFY(edited.outputs.at(1).middleCols(2 * dh, dh).isZero(0.0f));
        const RowVector mean = plain.outputs.at(1).middleCols(3 * dh, dh).colwise().mean();
        for (Index t = 0; t < static_cast<Index>(ids.size()); ++t)
            QVERIFY((edited.outputs.at(1).block(t, 3 * dh, 1, dh) - mean).cwiseAbs().maxCoeff() < 1e-6f);
        QCOMPARE(edited.outputs.at(1).leftCols(2 * dh), plain.outputs.at(1).leftCols(2 * dh)); // other heads as they were
        QVERIFY(edited.inputs.at(2) != plain.inputs.at(2)); // above it the stream moved
        QVERIFY((after.logits - before.logits).cwiseAbs().maxCoeff() > 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestInterventions)
#include "TestInterventions.moc"
