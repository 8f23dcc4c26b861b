// attnscope-bench-msa: how long the alignment view takes to draw a frame while it scrolls, at
// 1,000 sequences x 1,000 columns in a 1400 x 900 view, against a 16 ms frame budget: a step
// down, a step right, and a page jump, each the scroll plus one synchronous paint. Driven by
// tools/bench_views.sh.
//   attnscope-bench-msa [sequences] [columns]

#include "common/ExplorerState.h"
#include "alignment/MsaView.h"

#include "BenchSupport.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include <nlohmann/json.hpp>

#include <iostream>
#include <random>

using namespace attn;
using attn::bench::Stats;
using attn::bench::timeEach;

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rows = argc > 1 ? std::stoi(argv[1]) : 1000, columns = argc > 2 ? std::stoi(argv[2]) : 1000;
    auto msa = std::make_shared<Msa>();
    std::mt19937 random(1);
    static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY-";
    for (int r = 0; r < rows; ++r) {
        MsaRow row;
        row.name = "sequence_" + std::to_string(r);
        for (int c = 0; c < columns; ++c)
            row.residues += kLetters[random() % 21];
        msa->rows.push_back(std::move(row));
    }
    widgets::ExplorerState state;
    widgets::MsaView view(&state);
    view.resize(1400, 900);
    view.show();
    const auto t0 = std::chrono::steady_clock::now();
    view.setAlignment(msa, columnProfiles(*msa));
    const double profileMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    const auto paint = [&] {
        QPainter p(&frame);
        view.viewport()->render(&p);
    };
    paint(); // the glyph tiles are made on the first frames
    QScrollBar* v = view.verticalScrollBar();
    QScrollBar* h = view.horizontalScrollBar();
    const Stats down = timeEach(200, [&](int) { v->setValue(v->value() + v->singleStep()); paint(); });
    const Stats right = timeEach(200, [&](int) { h->setValue(h->value() + h->singleStep()); paint(); });
    const Stats page = timeEach(40, [&](int i) { v->setValue((i * 7919) % std::max(1, v->maximum())); h->setValue((i * 104729) % std::max(1, h->maximum())); paint(); });
    const auto stats = [](const Stats& s) { return nlohmann::json{{"mean_ms", s.mean}, {"max_ms", s.max}}; };
    std::cout << nlohmann::json{{"sequences", rows}, {"columns", columns}, {"view", {1400, 900}}, {"profiles_ms", profileMs},
                                {"scroll_down", stats(down)}, {"scroll_right", stats(right)}, {"jump", stats(page)},
                                {"frame_budget_ms", 16}}
                     .dump()
              << "\n";
    return 0;
}
