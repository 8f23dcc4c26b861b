// attnscope-bench-views: how long the attention map takes to show another head (rebuild of
// its cached image pyramid + one paint at 800 x 700), and to repaint after a zoom or pan,
// at L = 512 and 2048, against a 16 ms frame budget. Driven by tools/bench.sh.
//   attnscope-bench-views L [heads]

#include "common/ExplorerState.h"
#include "map/AttentionMapView.h"

#include "BenchSupport.h"
#include "SyntheticRun.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>

using namespace attn;
using attn::bench::Stats;
using attn::bench::timeEach;

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Index length = argc > 1 ? std::stol(argv[1]) : 512;
    const int heads = argc > 2 ? std::stoi(argv[2]) : 8;
    widgets::ExplorerState state;
    state.setRun(bench::syntheticRun(length, heads));
    widgets::AttentionMapView view(&state);
    view.resize(800, 700);
    QImage frame(view.size(), QImage::Format_ARGB32_Premultiplied);
    const auto paint = [&] {
        QPainter p(&frame);
        view.render(&p);
    };
    paint(); // warm-up
    const int switches = 4 * heads;
    const Stats headSwitch = timeEach(switches, [&](int i) {
        state.select(0, (i + 1) % heads); // rebuilds the image pyramid of the new head
        paint();
    });
    const Stats repaint = timeEach(switches, [&](int i) {
        const double f = 0.25 + 0.5 * (i % 4) / 4.0;
        view.setVisibleCells(QRectF(f * length * 0.5, f * length * 0.5, length * f, length * f));
        paint();
    });
    std::cout << nlohmann::json{{"impl", "attnscope_map_view"}, {"len", length}, {"widget", "800x700"},
                                {"head_switch_ms_mean", headSwitch.mean}, {"head_switch_ms_max", headSwitch.max},
                                {"repaint_ms_mean", repaint.mean}, {"repaint_ms_max", repaint.max},
                                {"frame_budget_ms", 16.0}, {"switches", switches}}
                     .dump()
              << "\n";
    return 0;
}
