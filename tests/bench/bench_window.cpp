// attnscope-bench-window: how long the whole window takes to show an interaction, with every
// view that follows the selection (attention map, tokens, head grid, head statistics, the DNA
// page and its sequence track) shown on a synthetic run of L tokens. Each interaction is the
// state change (its signal handlers run synchronously) plus one synchronous repaint of the
// window; the map's own repaint is timed alone too. The track's rollout row comes from a
// worker, so a token click is also timed until the window shows that row. Driven by tools/bench_views.sh.
//   attnscope-bench-window L [layers] [heads] [interactions per kind, default 2 x heads] [screenshot.png]

#include "common/ExplorerState.h"
#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "map/AttentionMapView.h"
#include "track/SequenceTrackView.h"

#include "BenchSupport.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

using namespace attn;
using attn::bench::Stats;
using attn::bench::timeEach;

namespace {

/// layers x heads of softmaxes of random scores with different spreads (sharp to diffuse), in
/// the float16 store (a 6 x 8 run at 4096 tokens is 1.6 GB).
widgets::RunData syntheticRun(Index length, int layers, int heads)
{
    auto result = std::make_shared<RunResult>();
    StorePlan plan;
    plan.type = StoreType::F16;
    result->attention = AttentionStore(layers, heads, length, plan);
    bench::fillSyntheticAttention(result->attention);
    result->logits = Vector::Zero(2);
    std::vector<std::string> labels{"[CLS]"};
    for (Index i = 1; i < length; ++i)
        labels.push_back(std::string(1, "ACGT"[i % 4]));
    widgets::RunData run = widgets::makeRunData(result, indexTokenAxis(labels), {"a", "b"}, "synthetic");
    for (const std::string& t : labels)
        run.bases += QString::fromStdString(t == "[CLS]" ? "" : t);
    for (Index i = 0; i < length; ++i)
        run.spans.push_back(i == 0 ? TokenSpan{-1, -1} : TokenSpan{static_cast<int>(i - 1), static_cast<int>(i)});
    return run;
}

nlohmann::json json(const Stats& s)
{
    return {{"mean_ms", s.mean}, {"max_ms", s.max}};
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("attnscope-bench");
    const Index length = argc > 1 ? std::stol(argv[1]) : 512;
    const int layers = argc > 2 ? std::stoi(argv[2]) : 6;
    const int heads = argc > 3 ? std::stoi(argv[3]) : 8;
    QTemporaryDir tmp;
    const QString fasta = tmp.path() + "/seq.fa"; // the DNA page and its track are shown, as after a run
    std::ofstream(fasta.toStdString()) << ">seq\n" << std::string(static_cast<std::size_t>(length - 1), 'A') << "\n";
    app::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w) || !w.openPath(fasta))
        return 1;
    const auto t0 = std::chrono::steady_clock::now();
    w.explorer().setRun(syntheticRun(length, layers, heads));
    const double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    w.repaint();
    // The track fuses every layer for its rollout on a worker once per run; the timings below
    // start when that is done, as a user's clicks would after a run.
    widgets::SequenceTrackView& track = *w.findChild<widgets::SequenceTrackView*>();
    const auto t1 = std::chrono::steady_clock::now();
    track.finishRollout();
    const double fusion = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    widgets::AttentionMapView& map = *w.explorerPage()->mapView();
    const int n = argc > 4 ? std::stoi(argv[4]) : 2 * heads;
    const Stats headSwitch = timeEach(n, [&](int i) {
        w.explorer().select(i % layers, (i + 1) % heads);
        w.repaint();
    });
    const Stats headState = timeEach(n, [&](int i) { w.explorer().select((i + 1) % layers, i % heads); }); // the views' updates alone
    const Stats tokenClick = timeEach(n, [&](int i) {
        w.explorer().selectToken(static_cast<int>((i * 7919) % length));
        w.repaint();
    });
    // The track's rollout row is computed on a worker: how long until the window shows it.
    const Stats rolloutShown = timeEach(n, [&](int i) {
        w.explorer().selectToken(static_cast<int>((i * 104729) % length));
        w.repaint();
        track.finishRollout();
        w.repaint();
    });
    const Stats zoom = timeEach(n, [&](int i) {
        const double f = 0.25 + 0.5 * (i % 4) / 4.0;
        map.setVisibleCells(QRectF(f * length * 0.5, f * length * 0.5, length * f, length * f));
        w.repaint();
    });
    const Stats mapRepaint = timeEach(n, [&](int) { map.repaint(); });
    if (argc > 5) { // what a person sees after these interactions
        map.resetZoom();
        track.finishRollout();
        w.grab().save(QString::fromLocal8Bit(argv[5]));
    }
    std::cout << nlohmann::json{{"impl", "attnscope_window"}, {"len", length}, {"layers", layers}, {"heads", heads},
                                {"window", "1600x1000"}, {"setup_s", setup}, {"rollout_fusion_s", fusion}, {"head_switch", json(headSwitch)}, {"head_switch_state_only", json(headState)},
                                {"token_click", json(tokenClick)}, {"token_click_rollout_shown", json(rolloutShown)}, {"zoom", json(zoom)}, {"map_repaint", json(mapRepaint)},
                                {"target_ms", 50.0}, {"map_frame_budget_ms", 16.0}, {"interactions", n}}
                     .dump()
              << "\n";
    return 0;
}
