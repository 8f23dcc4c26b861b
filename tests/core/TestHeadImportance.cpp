// Head importance (core/interpret/HeadImportance): each head ablated alone against the PyTorch
// reference's ablated runs (tests/data/golden/interventions), the metrics, the pruning curve and
// Spearman's correlation.

#include "interpret/HeadImportance.h"
#include "interpret/ModelPredictors.h"
#include "model/ModelFamily.h"
#include "ehr/EventReader.h"
#include "model/SequenceModel.h"
#include "model/ehr_encoder/EhrModel.h"
#include "util/Error.h"
#include "util/ParallelRuns.h"
#include "util/Progress.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

std::vector<float> npyValues(const std::filesystem::path& file)
{
    return readNpy(file).data;
}

/// The EHR encoder's golden model on its golden record.
std::unique_ptr<Predictor> ehrGoldenPredictor(const std::string& name)
{
    const auto dir = goldenDir(name);
    const auto model = loadEhrModel(dir);
    return ehrPredictor(model, std::make_shared<const EhrTokens>(tokenizeEvents(model->config(), readEvents(dir / "events.csv").table.events)));
}

/// MONAI's ViT classifier golden bundle on its golden input.
std::unique_ptr<Predictor> vitGoldenPredictor()
{
    const auto dir = goldenDir("monai") / "vit_conv";
    const Tensor x = readNpy(dir / "input.npy");
    auto input = std::make_shared<VolumeInput>();
    input->grid.channels = static_cast<int>(x.shape[0]);
    input->grid.size = {static_cast<int>(x.shape[1]), static_cast<int>(x.shape[2]), static_cast<int>(x.shape[3])};
    input->grid.data = x.data;
    return volumePredictor(modelAs<VolumeModel>(loadModelPath(dir), "vit", "a volume model"), input, {});
}

/// A golden model on its golden input (preln_gelu: the case the interventions' golden files were made on).
std::unique_ptr<Predictor> goldenPredictor(const std::string& name = "preln_gelu")
{
    if (name.rfind("ehr", 0) == 0)
        return ehrGoldenPredictor(name);
    if (name == "vit_conv")
        return vitGoldenPredictor();
    const auto dir = goldenDir(name);
    const auto input = nlohmann::json::parse(readText(dir / "input.json"));
    return sequencePredictor(modelAs<SequenceModel>(loadModelPath(dir), "model", "a sequence model"),
                             input.at("ids").get<std::vector<int>>());
}

} // namespace

class TestHeadImportance : public QObject {
    Q_OBJECT

private slots:
    void eachHeadAloneAsPyTorchAblatesIt_data()
    {
        QTest::addColumn<QString>("ablation");
        QTest::addColumn<QString>("golden"); // the case of tests/data/golden/interventions/torch_encoder_preln
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        QTest::newRow("zero") << "zero" << "zero" << 2 << 1;
        QTest::newRow("mean") << "mean" << "mean" << 0 << 1;
        QTest::newRow("uniform") << "uniform" << "uniform" << 2 << 0;
    }
    void eachHeadAloneAsPyTorchAblatesIt()
    {
        QFETCH(QString, ablation);
        QFETCH(QString, golden);
        QFETCH(int, layer);
        QFETCH(int, head);
        const auto predictor = goldenPredictor();
        const HeadImportance importance = headImportance(*predictor, parseAblation(ablation.toStdString()), nullptr);
        QCOMPARE(importance.grid.rows(), Index(3));
        QCOMPARE(importance.grid.cols(), Index(4));
        QCOMPARE(importance.details.size(), std::size_t{12});
        const auto base = npyValues(goldenDir("preln_gelu") / "expected/logits.npy");
        const auto ablated = npyValues(goldenDir("interventions") / "torch_encoder_preln" / golden.toStdString() / "logits.npy");
        const double expected = klDivergence(base, ablated);
        const double got = importance.grid(layer, head);
        QVERIFY2(std::abs(got - expected) < 1e-6 + 0.01 * expected, qPrintable(QString("KL %1, PyTorch's %2").arg(got).arg(expected)));
        const auto& d = importance.details[static_cast<std::size_t>(layer * 4 + head)];
        const auto predicted = static_cast<std::size_t>(d.at("predicted_class"));
        QCOMPARE(predicted, static_cast<std::size_t>(std::max_element(base.begin(), base.end()) - base.begin()));
        QVERIFY(std::abs(d.at("delta_logit") - (ablated[predicted] - base[predicted])) < 1e-4);
        QVERIFY((importance.grid.array() >= 0.0f).all()); // a KL divergence
    }
    void theShortcutsGiveWhatFullRunsGive_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("ablation");
        for (const char* model : {"preln_gelu", "postln_relu_padded", "ehr", "ehr_postln", "vit_conv"})
            for (const char* ablation : {"zero", "mean", "uniform"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(model, ablation))) << model << ablation;
    }
    void theShortcutsGiveWhatFullRunsGive()
    {
        // headImportance resumes from the unchanged run's layers, starts a head's layer from its recorded
        // outputs and runs a classifier's last layer for [CLS] alone; every head's change must be what a
        // plain run (every layer, every token, attention kept) gives.
        QFETCH(QString, model);
        QFETCH(QString, ablation);
        const auto predictor = goldenPredictor(model.toStdString());
        const HeadImportance fast = headImportance(*predictor, parseAblation(ablation.toStdString()), nullptr);
        const PredictionValues base = predictor->forward({});
        QCOMPARE(fast.base, base);
        for (int l = 0; l < predictor->layers(); ++l)
            for (int h = 0; h < predictor->heads(); ++h) {
                HeadEdit e;
                e.layer = l;
                e.head = h;
                e.kind = parseAblation(ablation.toStdString());
                RunOptions plain;
                plain.interventions = Interventions({e});
                const double expected = predictor->metric().change(base, predictor->forward(plain));
                QVERIFY2(std::abs(fast.grid(l, h) - expected) <= 1e-7 + 1e-4 * expected,
                         qPrintable(QString("L%1H%2: %3 against %4").arg(l).arg(h).arg(fast.grid(l, h)).arg(expected)));
            }
    }
    void theMetricsAreTheirDefinitions()
    {
        const auto kl = classifierMetric();
        QCOMPARE(kl->change({1, 2, 3}, {1, 2, 3}), 0.0);
        QVERIFY(std::abs(kl->change({0, 0}, {0, std::log(3.0f)}) - (0.5 * std::log(0.5 / 0.25) + 0.5 * std::log(0.5 / 0.75))) < 1e-6);
        const auto dice = segmentationMetric(); // labels 1 and 2: Dice 2/3 and 1/2
        const std::vector<float> a{0, 1, 1, 2, 2, 0}, b{0, 1, 0, 2, 0, 0};
        QVERIFY(std::abs(dice->details(a, b).at("dice") - (2.0 / 3.0 + 2.0 / 3.0) / 2.0) < 1e-12);
        QCOMPARE(dice->change(a, a), 0.0);
        const auto likelihood = logLikelihoodMetric();
        QVERIFY(std::abs(likelihood->change({-1, -2}, {-1.5f, -2.5f}) - 1.0) < 1e-6);
        Matrix logits(2, 3);
        logits << 0, 0, 0, 1, 2, 3;
        const PredictionValues ll = tokenLogLikelihoods(logits, {1, 2});
        QVERIFY(std::abs(ll[0] - std::log(1.0f / 3.0f)) < 1e-6f);
        QVERIFY(std::abs(ll[1] - (3.0f - std::log(std::exp(1.0f) + std::exp(2.0f) + std::exp(3.0f)))) < 1e-6f);
    }
    void spearmanRanksWithTies()
    {
        QCOMPARE(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
        QCOMPARE(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        // ranks (0, 1.5, 1.5, 3) against (0, 1, 2, 3): 0.9486...
        QVERIFY(std::abs(spearman({1, 2, 2, 5}, {1, 2, 3, 4}) - 0.9486832980505138) < 1e-12);
        QVERIFY(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
    }
    void thePruningCurveRemovesHeadsInOrder()
    {
        const auto predictor = goldenPredictor();
        const HeadImportance importance = headImportance(*predictor, HeadEditKind::Zero, nullptr);
        const PruningCurve curve = pruningCurve(*predictor, importance, 2, 7, nullptr);
        QCOMPARE(curve.fractions.size(), std::size_t{11});
        QCOMPARE(curve.byImportance.size(), std::size_t{11});
        QCOMPARE(curve.random.size(), std::size_t{2});
        QCOMPARE(curve.byImportance.front(), 0.0); // nothing removed
        QCOMPARE(curve.byImportance.back(), curve.random[0].back()); // everything removed, in any order
        // 10 % of 12 heads is 1: the most important head alone, whose change is the grid's maximum
        QVERIFY(std::abs(curve.byImportance[1] - importance.grid.maxCoeff()) < 1e-9);
        QVERIFY(curve.random[0] != curve.random[1]); // two seeds, two orders
    }
    void parallelRunsRunEachOnceAndStopAsASerialLoopWould()
    {
        struct Watch : Progress {
            std::atomic<long> reports{0};
            std::atomic<bool> cancel{false};
            void report(long, long, const std::string&) override { ++reports; }
            bool cancelled() const override { return cancel.load(); }
        };
        std::vector<std::atomic<int>> runs(40);
        Watch all;
        parallelRuns(40, [&](int i, Progress&) { ++runs[static_cast<std::size_t>(i)]; }, [](int i) { return std::to_string(i); }, &all);
        for (const auto& n : runs)
            QCOMPARE(n.load(), 1);
        QCOMPARE(all.reports.load(), 40L);
        // a Cancel asked during run 3 stops the runs that ask after it, and the loop throws Cancelled
        Watch cancelling;
        std::atomic<int> started{0};
        bool cancelled = false;
        try {
            parallelRuns(
                400,
                [&](int i, Progress& inner) {
                    ++started;
                    if (i == 3)
                        cancelling.cancel = true;
                    inner.step(0, 1, "run");
                },
                [](int) { return std::string(); }, &cancelling);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(started.load() < 400);
        // any other error leaves the loop as itself
        const auto message = thrownMessage<Error>([] {
            parallelRuns(
                10, [](int i, Progress&) { check(i != 6, "run 6 failed"); }, [](int) { return std::string(); }, nullptr);
        });
        QVERIFY(message && *message == "run 6 failed");
    }
    void badAblationsAreRefused()
    {
        const auto message = thrownMessage<Error>([] { parseAblation("half"); });
        QVERIFY(message && message->find("--ablation half") != std::string::npos);
        const auto predictor = goldenPredictor();
        QVERIFY(thrownMessage<Error>([&] { headImportance(*predictor, HeadEditKind::Scale, nullptr); }));
    }
};

QTEST_GUILESS_MAIN(TestHeadImportance)
#include "TestHeadImportance.moc"
