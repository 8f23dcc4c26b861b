// The trained CT demo model (resources/models/ct_lesion) on the demo study (resources/data/ct_demo),
// end to end as the app runs it: DICOM series -> resample and HU window -> model -> rollout ->
// overlay on the study's grid. Against tools/make_ct_lesion_golden.py (PyTorch on pydicom's reading
// of the same files), with and without a SYNTHETIC lesion added to the study's HU.

#include "dicom/DicomSeries.h"
#include "interpret/CtOverlay.h"
#include "model/ct_encoder/CtModel.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace attn;
using namespace attn::test;

namespace {

/// The golden script's lesion: contrast * erfc edge around a sphere, added to the HU.
void addLesion(Volume& v, const Eigen::Vector3d& centre, double radius, double contrast, double edgeSd)
{
    const auto& g = v.geometry;
    for (int z = 0; z < g.size[2]; ++z)
        for (int y = 0; y < g.size[1]; ++y)
            for (int x = 0; x < g.size[0]; ++x) {
                const double d = (g.indexToPatient(Eigen::Vector3d(x, y, z)) - centre).norm() - radius;
                v.values[v.index(x, y, z)] += static_cast<float>(contrast * 0.5 * std::erfc(d / (std::sqrt(2.0) * edgeSd)));
            }
}

double pLesion(const RunResult& r)
{
    return 1.0 / (1.0 + std::exp(static_cast<double>(r.logits[0] - r.logits[1])));
}

} // namespace

class TestCtDemoModel : public QObject {
    Q_OBJECT
    const std::filesystem::path golden_ = goldenDir("ct_lesion");
    std::shared_ptr<const CtModel> model_;
    Volume study_;
    nlohmann::json case_;

private slots:
    void initTestCase()
    {
        model_ = loadCtModel(resourcesDir() / "models" / "ct_lesion");
        const DicomScan scan = scanDicomFolder(ctDemoStudy());
        QCOMPARE(scan.series.size(), std::size_t{1});
        study_ = loadDicomSeries(scan.series.front()).volume;
        std::ifstream in(golden_ / "case.json");
        case_ = nlohmann::json::parse(in);
    }
    void theStudyAloneMatchesPyTorch()
    {
        VolumeGeometry input;
        const RunResult r = model_->run(model_->prepare(study_, &input), {});
        QVERIFY(maxAbsDiff(r.logits.data(), readNpy(golden_ / "expected/logits_plain.npy").data.data(), 2) < 1e-4f);
        QVERIFY(pLesion(r) < 0.5); // the real head CT has no lesion
    }
    void aSyntheticLesionIsFoundWhereItIs()
    {
        const auto& lesion = case_.at("lesion");
        const auto c = lesion.at("centre_mm").get<std::vector<double>>();
        const Eigen::Vector3d centre(c[0], c[1], c[2]);
        Volume study = study_;
        addLesion(study, centre, lesion.at("radius_mm"), lesion.at("contrast_hu"), lesion.at("edge_sd_mm"));
        VolumeGeometry input;
        const RunResult r = model_->run(model_->prepare(study, &input), {});
        QVERIFY(maxAbsDiff(r.logits.data(), readNpy(golden_ / "expected/logits_lesion.npy").data.data(), 2) < 1e-4f);
        QVERIFY(pLesion(r) > 0.9);
        const int tokens = model_->config().tokens();
        for (int l = 0; l < 2; ++l) {
            const Tensor e = readNpy(golden_ / (l == 0 ? "expected/cls_attention_layer_00.npy" : "expected/cls_attention_layer_01.npy"));
            QCOMPARE(e.shape, (std::vector<std::int64_t>{4, tokens}));
            for (int h = 0; h < 4; ++h) {
                const Matrix a = r.attention.head(l, h);
                const RowVector row = a.row(0);
                QVERIFY2(maxAbsDiff(row.data(), e.data.data() + h * tokens, static_cast<std::size_t>(tokens)) < 1e-5f,
                         qPrintable(QString("layer %1 head %2 [CLS] row differs").arg(l).arg(h)));
            }
        }
        const RowVector roll = rolloutRow(r.attention, {}, {}, 0);
        QVERIFY(maxAbsDiff(roll.data(), readNpy(golden_ / "expected/rollout_cls.npy").data.data(), static_cast<std::size_t>(tokens)) < 1e-5f);

        // the overlay's maximum, on the study's grid, lies where PyTorch's lies (within an input
        // voxel and a study voxel), which is in the token nearest the lesion: within half a token
        // step (plus a study voxel) of the centre on every axis
        const Volume overlay = ctOverlay(*model_, r, OverlaySource{}, input, study.geometry);
        const auto peak = std::max_element(overlay.values.begin(), overlay.values.end()) - overlay.values.begin();
        const auto& g = overlay.geometry;
        const Eigen::Vector3d index(static_cast<double>(peak % g.size[0]), static_cast<double>(peak / g.size[0] % g.size[1]),
                                    static_cast<double>(peak / (g.size[0] * g.size[1])));
        const Eigen::Vector3d at = g.indexToPatient(index);
        const double tokenStride = model_->config().tokenGeometry().stride;
        const auto golden = case_.at("rollout_peak_mm").get<std::vector<double>>(); // PyTorch's, on the model grid
        for (int axis = 0; axis < 3; ++axis) {
            QVERIFY2(std::abs(at[axis] - golden[static_cast<std::size_t>(axis)]) <= input.spacing[axis] + g.spacing[axis],
                     qPrintable(QString("axis %1: overlay peak at %2 mm, PyTorch's at %3 mm").arg(axis).arg(at[axis]).arg(golden[static_cast<std::size_t>(axis)])));
            const double half = 0.5 * tokenStride * input.spacing[axis] + g.spacing[axis];
            QVERIFY2(std::abs(at[axis] - centre[axis]) <= half,
                     qPrintable(QString("axis %1: overlay peak at %2 mm, lesion at %3 mm").arg(axis).arg(at[axis]).arg(centre[axis])));
        }
    }
};

QTEST_GUILESS_MAIN(TestCtDemoModel)
#include "TestCtDemoModel.moc"
