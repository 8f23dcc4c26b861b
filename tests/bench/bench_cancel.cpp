/// @file bench_cancel.cpp
/// attnscope-bench-cancel: how long each long operation takes to stop once cancelled, on this
/// machine: loading a 512 x 512 x 120 DICOM study, a run of a 4-layer, 8-head, d 256 model on
/// 4096 tokens, a CT overlay on that study, and writing a 1200-DPI PNG of the attention map
/// (L = 512). The operation asks its Progress whether to stop; from a set time on, the answer is
/// yes; the latency is the time from then until the operation has thrown Cancelled. One JSON
/// line per operation, and one for the part of an export that runs on the GUI thread (taking
/// the figure). Timings are never asserted in tests.

#include "common/ExplorerState.h"
#include "dicom/DicomSeries.h"
#include "export/FigureExport.h"
#include "map/AttentionMapView.h"
#include "interpret/CtOverlay.h"
#include "model/ct_encoder/CtModel.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/Progress.h"

#include "DicomWriter.h"
#include "RandomModel.h"
#include "SyntheticRun.h"

#include <QApplication>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

using namespace attn;
using Clock = std::chrono::steady_clock;

namespace {

/// Cancelled once `at` has passed; remembers when it first said so.
class TimedCancel : public Progress {
public:
    explicit TimedCancel(Clock::time_point at) : at_(at) {}
    bool cancelled() const override { return Clock::now() >= at_; }
    Clock::time_point at() const { return at_; }

private:
    Clock::time_point at_;
};

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

/// Runs `op` to completion twice (the first warms the file cache and the allocator; the second
/// is timed), then again, cancelled after a third of that time.
void measure(const std::string& name, const std::function<void(Progress&)>& op)
{
    Progress none;
    op(none);
    const auto t0 = Clock::now();
    op(none);
    const double whole = ms(Clock::now() - t0);
    TimedCancel cancel(Clock::now() + std::chrono::microseconds(static_cast<long>(whole * 1000 / 3)));
    bool stopped = false;
    try {
        op(cancel);
    } catch (const Cancelled&) {
        stopped = true;
    }
    const double latency = ms(Clock::now() - cancel.at());
    std::cout << nlohmann::json{{"op", name}, {"uncancelled_ms", whole}, {"cancelled_at_ms", whole / 3},
                                {"stopped", stopped}, {"latency_ms", latency}}.dump()
              << std::endl;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: attnscope-bench-cancel SCRATCH_DIR CT_MODEL_DIR\n";
        return 2;
    }
    const std::filesystem::path scratch = argv[1];
    attn::dicomtools::SeriesSpec spec;
    spec.rows = spec.cols = 512;
    spec.slices = 120;
    attn::dicomtools::writeSeries(spec, [](int x, int y, int z) { return (x * y + z) % 2000; }, scratch / "study");
    const DicomScan scan = scanDicomFolder(scratch / "study");
    measure("load 512x512x120 study", [&](Progress& p) { (void)loadDicomSeries(scan.series.at(0), &p); });

    const int length = 4096;
    const auto model = loadModel(attn::test::writeRandomModel(scratch / "model", {256, 8, 4, 1024, length, 2}));
    const std::vector<int> ids(static_cast<std::size_t>(length), 3);
    measure("run 4 layers x 8 heads, d 256, 4096 tokens", [&](Progress& p) {
        RunOptions options;
        options.progress = &p;
        (void)model->run(ids, {}, options);
    });

    const auto ct = loadCtModel(argv[2]);
    const Volume study = loadDicomSeries(scan.series.at(0)).volume;
    VolumeGeometry input;
    const RunResult run = ct->run(ct->prepare(study, &input), {});
    OverlaySource head;
    head.rollout = false;
    measure("CT overlay on the 512x512x120 study", [&](Progress& p) { (void)ctOverlay(*ct, run, head, input, study.geometry, &p); });

    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    widgets::ExplorerState state;
    state.setRun(bench::syntheticRun(512, 8));
    widgets::AttentionMapView map(&state);
    const QString png = QString::fromStdString((scratch / "map.png").string());
    const auto t0 = Clock::now();
    const widgets::ExportSnapshot snapshot = widgets::takeExport(map, png, 1200);
    std::cout << nlohmann::json{{"op", "take the attention map for a 1200-DPI PNG (GUI thread)"},
                                {"ms", ms(Clock::now() - t0)}}.dump()
              << std::endl;
    measure("write the attention map as a 1200-DPI PNG (8000 x 7500)", [&](Progress& p) { widgets::writeExport(snapshot, p); });
    return 0;
}
