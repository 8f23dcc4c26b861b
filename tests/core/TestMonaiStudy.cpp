// MONAI bundles on the demo head CT, against tools/monai_transforms.py (MONAI's ITK reader axes,
// Orientation, Spacing, ScaleIntensityRange, CropForeground, Resize and sliding-window inference
// re-written from MONAI's code) and tools/monai_networks.py: the region or resized study the
// network sees within 1e-5, every attention weight within 1e-5, logits within 1e-4, the labels on
// the study's grid (region, and whole study by sliding windows) voxel for voxel but for near-ties.

#include "dicom/DicomSeries.h"
#include "io/Nifti.h"
#include "io/Npy.h"
#include "model/ModelFamily.h"
#include "model/VolumeModel.h"
#include "volume/Resample.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

namespace {

/// The share of voxels whose labels differ, after checking that both lie on the same grid.
double labelMismatch(const Volume& labels, const std::filesystem::path& expectedFile)
{
    const Volume e = readNifti(expectedFile);
    if (e.geometry.size != labels.geometry.size || (e.geometry.origin - labels.geometry.origin).norm() > 1e-3)
        return 1.0;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < e.values.size(); ++i)
        differ += e.values[i] != labels.values[i];
    return static_cast<double>(differ) / static_cast<double>(e.values.size());
}

} // namespace

class TestMonaiStudy : public QObject {
    Q_OBJECT
    Volume study_;

private slots:
    void initTestCase()
    {
        study_ = loadDicomSeries(scanDicomFolder(ctDemoStudy()).series.front()).volume;
    }
    void unetrRegionAndSlidingWindow()
    {
        const auto dir = goldenDir("monai") / "unetr_study";
        const auto model = modelAs<VolumeModel>(loadModelPath(dir), dir.string(), "a volume model");
        QVERIFY(model->seesRegion());
        const RegionRequest request{std::array<int, 3>{64, 60, 30}, true};
        const VolumeInput input = model->prepareInput(study_, request, nullptr);
        const Tensor expected = readNpy(dir / "input.npy");
        QCOMPARE(static_cast<std::int64_t>(input.grid.data.size()), expected.numel());
        const float in = maxAbsDiff(input.grid.data.data(), expected.data.data(), expected.data.size());
        QVERIFY2(in < 1e-5f, qPrintable(QString("the region differs by %1").arg(in)));
        QVERIFY(input.preprocessed != nullptr);
        QCOMPARE(input.preprocessed->geometry.size, (std::array<int, 3>{86, 86, 45}));
        const VolumeRun run = model->runInput(input, {request.centre, false}, {});
        const float attention = layerFilesDiff(run.result.attention, dir);
        QVERIFY2(attention < 1e-5f, qPrintable(QString("attention differs by %1").arg(attention)));
        const Volume region = resampleNearestOnto(run.segmentation->labels, study_.geometry);
        const double regionMismatch = labelMismatch(region, dir / "expected_region_labels.nii.gz");
        QVERIFY2(regionMismatch < 1e-4, qPrintable(QString("%1 of the region's labels differ").arg(regionMismatch)));
        const VolumeRun whole = model->runInput(input, request, {});
        const double windowMismatch = labelMismatch(resampleNearestOnto(whole.segmentation->labels, study_.geometry),
                                                    dir / "expected_window_labels.nii.gz");
        QVERIFY2(windowMismatch < 1e-4, qPrintable(QString("%1 of the sliding-window labels differ").arg(windowMismatch)));
        qInfo("region input %g, attention %g, label mismatch region %g, sliding window %g", in, attention, regionMismatch, windowMismatch);
    }
    void demoBundleSegmentsByHounsfieldUnits()
    {
        // resources/models/unetr_head learned air (< -500 HU), soft tissue and bone (>= 300 HU): on the
        // axial slices its training left out, attnscope's sliding windows agree with those thresholds
        const auto dir = resourcesDir() / "models" / "unetr_head";
        const auto model = modelAs<VolumeModel>(loadModelPath(dir), dir.string(), "a volume model");
        const RegionRequest request{std::nullopt, true};
        const VolumeInput input = model->prepareInput(study_, request, nullptr);
        const VolumeRun run = model->runInput(input, request, {});
        const Volume& scaled = *input.preprocessed; // HU [-1000, 1000] -> [0, 1]
        const Volume& labels = run.segmentation->labels;
        QCOMPARE(labels.geometry.size, scaled.geometry.size);
        QCOMPARE(run.segmentation->names, (std::vector<std::string>{"air", "soft tissue", "bone"}));
        std::array<double, 3> both{}, sum{};
        for (int z = 30; z < 40; ++z)
            for (int y = 0; y < scaled.geometry.size[1]; ++y)
                for (int x = 0; x < scaled.geometry.size[0]; ++x) {
                    const float v = scaled.at(x, y, z);
                    const int truth = v < 0.25f ? 0 : v < 0.65f ? 1 : 2, predicted = static_cast<int>(labels.at(x, y, z));
                    both[static_cast<std::size_t>(truth)] += truth == predicted ? 2 : 0;
                    sum[static_cast<std::size_t>(truth)] += 1;
                    sum[static_cast<std::size_t>(predicted)] += 1;
                }
        for (std::size_t c = 0; c < 3; ++c) {
            qInfo("Dice of label %zu on the held-out slices: %.3f", c, both[c] / sum[c]);
            QVERIFY(both[c] / sum[c] > 0.95);
        }
    }
    void vitOnTheResizedStudy_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("LPI, 4 mm, resized by area") << "vit_study";
        QTest::newRow("central crop, symmetric and end padding, crop-or-pad, resized") << "vit_croppad";
    }
    void vitOnTheResizedStudy()
    {
        QFETCH(QString, name);
        const auto dir = goldenDir("monai") / name.toStdString();
        const auto model = modelAs<VolumeModel>(loadModelPath(dir), dir.string(), "a volume model");
        QVERIFY(!model->seesRegion());
        const auto steps = model->preprocessing();
        if (name == "vit_study")
            QVERIFY(std::find(steps.begin(), steps.end(), "not applied: RandFlipd: not a transform attnscope applies") != steps.end());
        else
            QVERIFY(std::none_of(steps.begin(), steps.end(), [](const std::string& s) { return s.rfind("not applied", 0) == 0; }));
        const VolumeInput input = model->prepareInput(study_, {}, nullptr);
        const Tensor expected = readNpy(dir / "input.npy");
        QCOMPARE(static_cast<std::int64_t>(input.grid.data.size()), expected.numel());
        const float in = maxAbsDiff(input.grid.data.data(), expected.data.data(), expected.data.size());
        QVERIFY2(in < 1e-5f, qPrintable(QString("the resized study differs by %1").arg(in)));
        const VolumeRun run = model->runInput(input, {}, {});
        QVERIFY(layerFilesDiff(run.result.attention, dir) < 1e-5f);
        const Tensor logits = readNpy(dir / "expected_logits.npy");
        QVERIFY(maxAbsDiff(run.result.logits.data(), logits.data.data(), logits.data.size()) < 1e-4f);
    }
};

QTEST_GUILESS_MAIN(TestMonaiStudy)
#include "TestMonaiStudy.moc"
