// Faithfulness (core/interpret/Faithfulness): deletion and insertion curves, ERASER's AOPC bins and
// random orders on a model whose use of its inputs is known exactly; each kind's replacement of a
// removed token (core/interpret/ModelPredictors) against the model run on the replaced input.

#include "interpret/Faithfulness.h"
#include "interpret/ModelPredictors.h"
#include "ehr/EventReader.h"
#include "model/ModelFamily.h"
#include "model/SequenceModel.h"
#include "model/ehr_encoder/EhrModel.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "msa/MsaReader.h"
#include "util/Error.h"

#include "FamilyRunners.h"
#include "TestSupport.h"
#include "io/Npy.h"

#include <QTest>

#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

/// A classifier whose logit for class 0 is the sum of the weights of the tokens kept (token 0, its
/// [CLS], never removed): removing the largest weights first is the most faithful order there is.
class AdditivePredictor : public Predictor {
public:
    explicit AdditivePredictor(std::vector<float> weights) : weights_(std::move(weights)), metric_(classifierMetric()) {}
    int layers() const override { return 1; }
    int heads() const override { return 1; }
    PredictionValues forward(const RunOptions& options) const override { return forwardWithout({}, options); }
    const PredictionMetric& metric() const override { return *metric_; }
    Index tokens() const override { return static_cast<Index>(weights_.size()); }
    bool readsFirstToken() const override { return true; }
    std::string replacement() const override { return "nothing"; }
    std::vector<bool> removable() const override
    {
        std::vector<bool> r(weights_.size(), true);
        r[0] = false;
        return r;
    }
    PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& /*options*/) const override
    {
        float sum = 0;
        for (std::size_t t = 0; t < weights_.size(); ++t)
            if (t >= removed.size() || !removed[t])
                sum += weights_[t];
        return {sum, 0.0f};
    }

private:
    std::vector<float> weights_;
    std::unique_ptr<PredictionMetric> metric_;
};

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

const std::vector<float> kWeights{0.5f, 0.1f, 2.0f, -0.3f, 0.7f, 0.0f, 1.2f, 0.05f, -0.8f, 0.4f, 0.9f}; // 10 removable

RowVector weightsAsMap()
{
    return Eigen::Map<const RowVector>(kWeights.data(), static_cast<Index>(kWeights.size()));
}

} // namespace

class TestFaithfulness : public QObject {
    Q_OBJECT

private slots:
    void theTrueOrderBeatsEveryRandomOrder()
    {
        const AdditivePredictor p(kWeights);
        FaithfulnessOptions o;
        o.seeds = 5;
        const Faithfulness f = faithfulness(p, weightsAsMap(), o, nullptr);
        double all = 0;
        for (float w : kWeights)
            all += w;
        QVERIFY(std::abs(f.baseScore - sigmoid(all)) < 1e-6);
        QCOMPARE(f.removable, std::size_t{10});
        QCOMPARE(f.random.size(), std::size_t{5});
        QCOMPARE(f.source.deletion.size(), o.fractions.size());
        QVERIFY(std::abs(f.source.deletion.front() - f.baseScore) < 1e-9);            // nothing removed yet
        QVERIFY(std::abs(f.source.insertion.back() - f.baseScore) < 1e-9);            // everything back
        QVERIFY(std::abs(f.source.deletion.back() - sigmoid(kWeights[0])) < 1e-6);   // only [CLS] left
        QVERIFY(std::abs(f.source.insertion.front() - f.source.deletion.back()) < 1e-9);
        for (const FaithfulnessCurves& r : f.random)
            for (std::size_t i = 0; i < o.fractions.size(); ++i) { // the top-k sum is the largest k-subset sum
                QVERIFY(f.source.deletion[i] <= r.deletion[i] + 1e-12);
                QVERIFY(f.source.insertion[i] >= r.insertion[i] - 1e-12);
            }
        const bool someRandomDiffers = std::any_of(f.random.begin(), f.random.end(), [&](const FaithfulnessCurves& r) {
            return r.deletionAuc > f.source.deletionAuc + 1e-3;
        });
        QVERIFY(someRandomDiffers);
        QVERIFY(f.source.comprehensivenessAopc > 0 && f.source.sufficiencyAopc < f.random.front().sufficiencyAopc);
    }
    void aopcBinsAreErasersDefinition()
    {
        const AdditivePredictor p(kWeights);
        FaithfulnessOptions o;
        o.seeds = 1;
        const Faithfulness f = faithfulness(p, weightsAsMap(), o, nullptr);
        // 10 removable tokens: 1 % and 5 % of them round to 0, counted as 1; 10 % is 1, 20 % 2, 50 % 5.
        // The order by weight: 2.0, 1.2, 0.9, 0.7, 0.4, 0.1, 0.05, 0.0, -0.3, -0.8.
        const double all = f.baseScore;
        const std::vector<double> top{2.0, 2.0, 2.0, 3.2, 2.0 + 1.2 + 0.9 + 0.7 + 0.4};
        double sum = 0;
        for (float w : kWeights)
            sum += w;
        for (std::size_t b = 0; b < top.size(); ++b) {
            QVERIFY(std::abs(f.source.comprehensiveness[b] - (all - sigmoid(sum - top[b]))) < 1e-6);
            QVERIFY(std::abs(f.source.sufficiency[b] - (all - sigmoid(kWeights[0] + top[b]))) < 1e-6);
        }
        double mean = 0;
        for (double c : f.source.comprehensiveness)
            mean += c / 5;
        QVERIFY(std::abs(f.source.comprehensivenessAopc - mean) < 1e-12);
    }
    void randomOrdersFollowTheirSeed()
    {
        const AdditivePredictor p(kWeights);
        FaithfulnessOptions o;
        o.seeds = 2;
        o.seed = 7;
        const Faithfulness a = faithfulness(p, weightsAsMap(), o, nullptr), b = faithfulness(p, weightsAsMap(), o, nullptr);
        QCOMPARE(a.random[1].deletion, b.random[1].deletion);
        o.seed = 8;
        const Faithfulness c = faithfulness(p, weightsAsMap(), o, nullptr);
        QCOMPARE(c.random[0].deletion, a.random[1].deletion); // seed 8 is a's second order
        QVERIFY(c.random[1].deletion != a.random[1].deletion);
        const Faithfulness reversed = faithfulness(p, -weightsAsMap(), o, nullptr); // another map: the same baseline
        QCOMPARE(reversed.random[0].deletion, c.random[0].deletion);
        QVERIFY(reversed.source.deletion != c.source.deletion);
    }
    void ordersAreasAndRefusals()
    {
        RowVector s(5);
        s << 9, 0.5f, 2, 2, 0.1f;
        QCOMPARE(removalOrder(s, {false, true, true, true, true}), (std::vector<Index>{2, 3, 1, 4})); // ties: earlier first
        QVERIFY(std::abs(trapezoidArea({0, 0.5, 1}, {1, 0, 1}) - 0.5) < 1e-12);
        const auto [mean, sd] = curveBand({{1, 2, 3}, {3, 2, 7}}); // per point: the mean, the population sd
        QCOMPARE(mean, (std::vector<double>{2, 2, 5}));
        QCOMPARE(sd, (std::vector<double>{1, 0, 2}));
        const AdditivePredictor p(kWeights);
        const auto shape = thrownMessage<Error>([&] { faithfulness(p, RowVector::Zero(3), {}, nullptr); });
        QVERIFY(shape && shape->find("the map has 3 tokens, the input 11") != std::string::npos);
    }
    void sequenceModelsReplaceRemovedTokens()
    {
        // ESM-2 (a masked LM): <mask> stands for a removed residue, its likelihood is of the input's own tokens
        const auto dir = goldenDir("proteins") / "esm_small";
        const auto model = modelAs<SequenceModel>(loadModelPath(dir / "model"), "model", "a sequence model");
        const std::vector<int> ids = model->encode(readMsa(dir / "input.fasta").rows.front().residues).ids;
        const auto p = sequencePredictor(model, ids);
        QCOMPARE(QString::fromStdString(p->replacement()), QString("<mask>"));
        QVERIFY(!p->readsFirstToken());
        const std::vector<bool> removable = p->removable();
        QVERIFY(!removable.front() && !removable.back() && removable[1]); // <cls> and <eos> stay
        std::vector<bool> removed(ids.size(), false);
        removed[3] = removed[5] = true;
        const auto& vocab = model->vocabulary();
        const int mask = static_cast<int>(std::find(vocab.begin(), vocab.end(), "<mask>") - vocab.begin());
        std::vector<int> masked = ids;
        masked[3] = masked[5] = mask;
        RunOptions o;
        const PredictionValues expected = tokenLogLikelihoods(model->run(masked, o).logits, ids);
        QCOMPARE(p->forwardWithout(removed, o), expected);
        QCOMPARE(p->forwardWithout(std::vector<bool>(ids.size(), false), o), p->forward(o));
    }
    void ehrRemovesTheEventAndMsaGapsTheColumn()
    {
        const auto dir = goldenDir("ehr");
        const auto model = loadEhrModel(dir);
        const EhrTokens tokens = tokenizeEvents(model->config(), readEvents(dir / "events.csv").table.events);
        const auto ehr = ehrPredictor(model, std::make_shared<const EhrTokens>(tokens));
        QCOMPARE(QString::fromStdString(ehr->replacement()), QString("the event removed"));
        std::vector<bool> removed(static_cast<std::size_t>(tokens.size()), false);
        removed[2] = true;
        EhrTokens without = tokens;
        for (auto* v : {&without.time, &without.value, &without.hasValue})
            v->erase(v->begin() + 2);
        without.ids.erase(without.ids.begin() + 2);
        without.source.erase(without.source.begin() + 2);
        RunOptions o;
        const Vector logits = model->run(without, o).logits;
        QCOMPARE(ehr->forwardWithout(removed, o), (PredictionValues{logits.data(), logits.data() + logits.size()}));

        const auto msaDir = goldenDir("proteins") / "msa_small";
        const auto msaModel = modelAs<MsaTransformer>(loadModelPath(msaDir / "model"), "model", "msa_transformer");
        const Msa msa = readMsa(msaDir / "input.a3m");
        const std::vector<int> t = msaModel->tokenize(msa, nullptr);
        const auto rows = static_cast<Index>(msa.sequences());
        const auto p = msaPredictor(msaModel, t, rows);
        const Index columns = p->tokens();
        QCOMPARE(columns * rows, static_cast<Index>(t.size()));
        std::vector<bool> column(static_cast<std::size_t>(columns), false);
        column[4] = true;
        std::vector<int> gapped = t;
        for (Index r = 0; r < rows; ++r)
            gapped[static_cast<std::size_t>(r * columns + 4)] = msaModel->alphabet().idOf('-');
        const std::vector<int> query(t.begin(), t.begin() + columns);
        QCOMPARE(p->forwardWithout(column, o), tokenLogLikelihoods(msaModel->run(gapped, rows, o).logits.topRows(columns), query));
    }
    void ctReplacesAPatchWithTheStudysMean_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::newRow("ct_encoder: [CLS], x fastest") << "ct";
        QTest::newRow("MONAI ViT: [CLS], z fastest") << "monai/vit_conv";
        QTest::newRow("MONAI UNETR: no [CLS], segments") << "monai/unetr_conv";
    }
    void ctReplacesAPatchWithTheStudysMean()
    {
        // the golden input grid, two image tokens removed: every voxel whose nearest token centre (found here by
        // searching all centres of each axis) is theirs takes the grid's mean; the model run on that grid
        QFETCH(QString, golden);
        const auto dir = goldenDir(golden.toStdString());
        const auto model = modelAs<VolumeModel>(loadModelPath(dir), dir.string(), "a volume model");
        VolumeInput input;
        input.grid = gridOf(readNpy(dir / "input.npy"));
        const PatchLayout layout = model->patchLayout();
        const auto& g = input.grid.size;
        input.geometry.size = layout.firstAxisFastest ? std::array<int, 3>{g[2], g[1], g[0]} : g;
        const auto p = volumePredictor(model, std::make_shared<const VolumeInput>(input), {});
        QVERIFY(QString::fromStdString(p->replacement()).contains("mean"));
        const std::vector<bool> removable = p->removable();
        QCOMPARE(removable.front(), layout.firstImageToken == 0);
        QVERIFY(std::all_of(removable.begin() + layout.firstImageToken, removable.end(), [](bool b) { return b; }));
        const int first = layout.firstImageToken + layout.imageToken(0, 0, 0), second = layout.firstImageToken + layout.imageToken(1, 1, 0);
        std::vector<bool> removed(removable.size(), false);
        removed[static_cast<std::size_t>(first)] = removed[static_cast<std::size_t>(second)] = true;
        VolumeInput changed = input;
        const double mean = std::accumulate(input.grid.data.begin(), input.grid.data.end(), 0.0) / static_cast<double>(input.grid.data.size());
        std::size_t replaced = 0;
        const auto& n = input.geometry.size;
        for (int z = 0; z < n[2]; ++z)
            for (int y = 0; y < n[1]; ++y)
                for (int x = 0; x < n[0]; ++x) {
                    const std::array<int, 3> t{nearestCentre(layout, 0, x), nearestCentre(layout, 1, y), nearestCentre(layout, 2, z)};
                    const int token = layout.firstImageToken + layout.imageToken(t[0], t[1], t[2]);
                    if (token != first && token != second)
                        continue;
                    const std::size_t at = layout.firstAxisFastest ? (static_cast<std::size_t>(z) * n[1] + y) * n[0] + x
                                                                   : (static_cast<std::size_t>(x) * n[1] + y) * n[2] + z;
                    changed.grid.data[at] = static_cast<float>(mean);
                    ++replaced;
                }
        QVERIFY(replaced > 0);
        RunOptions o;
        const VolumeRun run = model->runInput(changed, {}, o);
        const PredictionValues expected = model->segments() ? run.segmentation->labels.values
                                                            : PredictionValues(run.result.logits.data(), run.result.logits.data() + run.result.logits.size());
        QCOMPARE(p->forwardWithout(removed, o), expected);
        QVERIFY(p->forwardWithout(removed, o) != p->forward(o)); // the patches mattered
        QCOMPARE(p->forwardWithout(std::vector<bool>(removed.size(), false), o), p->forward(o));
    }

private:
    /// The token along one axis whose receptive field's centre is nearest voxel index v, by search; the
    /// last token's for a voxel beyond it.
    static int nearestCentre(const PatchLayout& layout, int axis, int v)
    {
        const TokenGeometry& g = layout.axes[static_cast<std::size_t>(axis)];
        int best = 0;
        for (int t = 1; t < layout.grid[static_cast<std::size_t>(axis)]; ++t)
            if (std::abs(v - (t * g.stride + g.offset)) <= std::abs(v - (best * g.stride + g.offset))) // a tie: the later
                best = t;
        return best;
    }
};

QTEST_GUILESS_MAIN(TestFaithfulness)
#include "TestFaithfulness.moc"
