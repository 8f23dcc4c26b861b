// The CT model family against its PyTorch reference (tools/ct_model.py): conv stem with
// batch norm, projection, [CLS] and positions, encoder, classifier; trilinear resampling as
// F.interpolate; where tokens sit on the input grid.

#include "interpret/Attributions.h"
#include "interpret/CtOverlay.h"
#include "model/ct_encoder/CtModel.h"
#include "util/Error.h"
#include "volume/Resample.h"

#include "TestSupport.h"

#include <QTest>

#include <Eigen/Geometry>

using namespace attn;
using namespace attn::test;

class TestCtModel : public QObject {
    Q_OBJECT
    const std::filesystem::path dir_ = goldenDir("ct");

private slots:
    void matchesPyTorch()
    {
        const auto model = loadCtModel(dir_);
        QCOMPARE(model->config().tokenGrid(), (std::array<int, 3>{4, 3, 2}));
        QCOMPARE(model->config().tokens(), 25);
        const Tensor input = readNpy(dir_ / "input.npy");
        QCOMPARE(input.shape, (std::vector<std::int64_t>{8, 12, 16}));
        Grid g;
        g.channels = 1;
        g.size = {8, 12, 16};
        g.data = input.data;
        const RunResult r = model->run(g, {});
        const Tensor logits = readNpy(dir_ / "expected/logits.npy");
        QVERIFY2(maxAbsDiff(r.logits.data(), logits.data.data(), logits.data.size()) < 1e-5f, "logits differ");
        QVERIFY2(maxAbsDiff(r.hidden, readNpy(dir_ / "expected/hidden.npy")) < 1e-5f, "hidden states differ");
        for (int l = 0; l < 2; ++l) {
            const Tensor e = readNpy(dir_ / (l == 0 ? "expected/attention_layer_00.npy" : "expected/attention_layer_01.npy"));
            QCOMPARE(e.shape, (std::vector<std::int64_t>{4, 25, 25}));
            std::vector<float> a(e.data.size());
            r.attention.copyLayer(l, a.data());
            const float diff = maxAbsDiff(a.data(), e.data.data(), a.size());
            QVERIFY2(diff < 1e-5f, qPrintable(QString("layer %1 differs by %2").arg(l).arg(diff)));
        }
    }
    void tokenAxisPlacesTokensInPatientSpace()
    {
        // Two stride-2 stages (kernel 3, padding 1): token (z, y, x) is centred on input voxel
        // (4x, 4y, 4z). An oblique input grid: the centre is origin + D (spacing .* index).
        const auto model = loadCtModel(dir_);
        VolumeGeometry g;
        g.size = {16, 12, 8};
        g.origin = Eigen::Vector3d(-50, 20, 7);
        g.spacing = Eigen::Vector3d(0.5, 0.8, 3.0);
        g.direction = Eigen::AngleAxisd(0.3, Eigen::Vector3d::UnitZ()).toRotationMatrix();
        const TokenAxis axis = volumeTokenAxis(model->patchLayout(), g);
        QCOMPARE(axis.size(), 25);
        QCOMPARE(axis.unit, std::string("mm"));
        QCOMPARE(axis.dimensions, 3);
        QVERIFY(!axis.placed(0));
        QCOMPARE(axis.labels[0], std::string("[CLS]"));
        const int t = 1 + (1 * 3 + 2) * 4 + 3; // z 1, y 2, x 3 (x fastest)
        QCOMPARE(axis.labels[t], std::string("z1 y2 x3"));
        const Eigen::Vector3d expected = g.origin + g.direction * g.spacing.cwiseProduct(Eigen::Vector3d(12, 8, 4));
        for (int d = 0; d < 3; ++d)
            QVERIFY(std::abs(axis.position[t][d] - expected[d]) < 1e-9);
        QCOMPARE(axis.columns.size(), std::size_t{6});
        QCOMPARE(axis.columns[0].name, std::string("z"));
        QCOMPARE(axis.columns[0].values[t], 1.0);
        QCOMPARE(axis.columns[2].values[t], 3.0);
        QCOMPARE(axis.columns[3].values[t], axis.position[t][0]);
        // neighbours along x are 4 input voxels (2 mm) apart
        QVERIFY(std::abs(axis.distance(t, t - 1) - 2.0) < 1e-9);
    }
    void resamplesLikeInterpolate()
    {
        const Tensor in = readNpy(dir_ / "resample_in.npy"); // [z, y, x] = [7, 9, 11]
        Volume v;
        v.geometry.size = {11, 9, 7};
        v.geometry.spacing = Eigen::Vector3d(0.5, 0.7, 2.0);
        v.geometry.origin = Eigen::Vector3d(10, -20, 30);
        v.values = in.data;
        const Volume r = resampleTrilinear(v, {16, 12, 8});
        QVERIFY(maxAbsDiff(r.values.data(), readNpy(dir_ / "expected/resample_out.npy").data.data(), r.values.size()) < 1e-5f);
        // the same extent: the outer faces of the first and last voxels do not move
        const Eigen::Vector3d lowFace = v.geometry.indexToPatient(Eigen::Vector3d(-0.5, -0.5, -0.5));
        QVERIFY((r.geometry.indexToPatient(Eigen::Vector3d(-0.5, -0.5, -0.5)) - lowFace).norm() < 1e-9);
        const Eigen::Vector3d highFace = v.geometry.indexToPatient(Eigen::Vector3d(10.5, 8.5, 6.5));
        QVERIFY((r.geometry.indexToPatient(Eigen::Vector3d(15.5, 11.5, 7.5)) - highFace).norm() < 1e-9);
    }
    void tokensSitOnTheirReceptiveFields()
    {
        const CtConfig c = loadCtModel(dir_)->config();
        const TokenGeometry t = c.tokenGeometry();
        // two stages of kernel 3, stride 2, padding 1: token i is centred on input voxel 4 i and sees 7 voxels
        QCOMPARE(t.stride, 4);
        QCOMPARE(t.offset, 0.0);
        QCOMPARE(t.extent, 7);
    }
    void overlayOfADecompositionIsItsLayerOrItsRollOut()
    {
        // the overlay with ALTI in place of attention: its layer's [CLS] row, or its own roll-out, over the image tokens
        const auto model = loadCtModel(dir_);
        Volume study;
        study.geometry.size = {20, 15, 10};
        for (std::size_t i = 0; i < study.geometry.voxels(); ++i)
            study.values.push_back(static_cast<float>(static_cast<int>(i * 37 % 2000)) - 1000.0f);
        const Grid input = model->prepare(study, nullptr);
        AttributionRecorder recorder;
        RunOptions options;
        options.recorder = &recorder;
        const RunResult run = model->run(input, options);
        const std::vector<LayerAttribution>& layers = recorder.layers();
        QCOMPARE(layers.size(), std::size_t{2});
        OverlaySource source = OverlaySource::ofHead(1, 0);
        source.decomposition = std::make_shared<const AttentionStore>(methodStore(layers, AttributionMethod::Alti));
        source.decompositionName = "alti";
        source.decompositionRollsOut = true;
        const PatchLayout layout = model->patchLayout();
        const auto expect = [](RowVector row) {
            RowVector tail = row.tail(24);
            return RowVector(tail / tail.maxCoeff());
        };
        const std::vector<float> w = imageTokenWeights(run, source, layout);
        QVERIFY((Eigen::Map<const RowVector>(w.data(), 24) - expect(layers[1].alti.row(0))).cwiseAbs().maxCoeff() < 1e-5f);
        QCOMPARE(describe(source, layout), std::string("alti, layer 1 (heads combined), from [CLS]"));
        source.rollout = true;
        const std::vector<float> rolled = imageTokenWeights(run, source, layout);
        QVERIFY((Eigen::Map<const RowVector>(rolled.data(), 24) - expect(rolledOutRow(methodLayers(layers, AttributionMethod::Alti), 0)))
                    .cwiseAbs().maxCoeff() < 1e-5f);
        QCOMPARE(describe(source, layout), std::string("alti rolled out, from [CLS]"));
    }
    void overlayOfAStudyFollowsTheChosenSource()
    {
        const auto model = loadCtModel(dir_);
        // a study of 20 x 15 x 10 voxels of 1 mm; the model resamples it to 16 x 12 x 8
        Volume study;
        study.geometry.size = {20, 15, 10};
        study.geometry.origin = Eigen::Vector3d(5, -5, 12);
        for (std::size_t i = 0; i < study.geometry.voxels(); ++i)
            study.values.push_back(static_cast<float>(static_cast<int>(i * 37 % 2000)) - 1000.0f);
        VolumeGeometry inputGeometry;
        const Grid input = model->prepare(study, &inputGeometry);
        QCOMPARE(inputGeometry.size, (std::array<int, 3>{16, 12, 8}));
        QVERIFY(*std::max_element(input.data.begin(), input.data.end()) <= 1.0f);
        const RunResult run = model->run(input, {});
        const OverlaySource head = OverlaySource::ofHead(1, 2);
        const std::vector<float> w = imageTokenWeights(run, head, model->patchLayout());
        QCOMPARE(w.size(), std::size_t{24});
        QCOMPARE(*std::max_element(w.begin(), w.end()), 1.0f);
        const Matrix a = run.attention.head(1, 2);
        const auto best = std::max_element(w.begin(), w.end()) - w.begin();
        Index bestToken = 0;
        a.row(0).tail(24).maxCoeff(&bestToken);
        QCOMPARE(static_cast<Index>(best), bestToken);
        const Volume overlay = ctOverlay(*model, run, head, inputGeometry, study.geometry);
        QCOMPARE(overlay.geometry.size, study.geometry.size);
        QVERIFY(*std::max_element(overlay.values.begin(), overlay.values.end()) <= 1.0f + 1e-6f);
        const Volume rollout = ctOverlay(*model, run, OverlaySource{}, inputGeometry, study.geometry);
        QVERIFY(rollout.values != overlay.values); // another source, another overlay, the same run
    }
    void badInputsAreRefused()
    {
        const auto model = loadCtModel(dir_);
        Grid wrong;
        wrong.channels = 1;
        wrong.size = {8, 8, 8};
        wrong.data.assign(512, 0.0f);
        QVERIFY(thrownMessage<ShapeError>([&] { model->run(wrong, {}); })->find("16 x 12 x 8") != std::string::npos);
        QTemporaryDir tmp;
        const auto copy = copyToTemp(tmp, dir_, "m");
        writeText(copy / "config.json", "{\"family\": \"ct_encoder\", \"input_size\": [16, 12]}");
        const auto msg = thrownMessage<FormatError>([&] { loadCtModel(copy); });
        QVERIFY(msg && msg->find("'input_size' must be a list of 3 positive integers") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCtModel)
#include "TestCtModel.moc"
