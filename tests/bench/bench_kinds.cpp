// attnscope-bench-kinds: the interactions of the EHR and protein views on large inputs, each the
// state change plus a synchronous repaint, against 50 ms (tools/bench_views.sh).
//   - a patient record of E events (4 layers x 8 heads, float16 store, synthetic attention): the
//     timeline at 1100 x 700, a head switch, an event click, a hover and a zoom; heads over time
//     at a layer switch on the GUI thread, and until its worker's profiles are shown;
//   - an alignment of N sequences x C columns: showing it (the GUI thread's part: the
//     unweighted profiles), and until the worker's weights, profiles and MI-APC baseline land;
//     a column click.
//   attnscope-bench-kinds [events, default 4096] [sequences] [columns, default 1000 x 1000]

#include "kinds/protein/ProteinViews.h"
#include "model/ehr_encoder/EhrTokens.h"
#include "msa/Msa.h"
#include "timeline/TimeGapView.h"
#include "timeline/TimelineView.h"

#include "BenchSupport.h"

#include <QApplication>
#include <QMouseEvent>
#include <QTest>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <random>
#include <stdexcept>

using namespace attn;
using attn::bench::Stats;
using attn::bench::timeEach;

namespace {

nlohmann::json json(const Stats& s)
{
    return {{"mean_ms", s.mean}, {"max_ms", s.max}};
}

/// E events a few days apart over about 30 years, in five lanes, and a run of 4 x 8 heads over
/// them ([CLS] first) with positions in days.
std::pair<std::shared_ptr<const std::vector<Event>>, widgets::RunData> syntheticRecord(int events)
{
    auto record = std::make_shared<std::vector<Event>>();
    std::mt19937 random(7);
    std::int64_t t = 946684800; // 2000-01-01
    const char* resources[] = {"Encounter", "Observation", "MedicationRequest", "Procedure", "Immunization"};
    for (int i = 0; i < events; ++i) {
        t += 3600 * (1 + static_cast<std::int64_t>(random() % 24 * 24)); // up to 24 days apart
        Event e;
        e.subject = "1";
        e.time = EventTime{t, TimePrecision::Second};
        e.code = "LOINC/" + std::to_string(i % 50);
        e.display = "Observation " + std::to_string(i % 50);
        e.resource = resources[i % 5];
        record->push_back(std::move(e));
    }
    auto result = std::make_shared<RunResult>();
    StorePlan plan;
    plan.type = StoreType::F16;
    result->attention = AttentionStore(4, 8, events + 1, plan);
    bench::fillSyntheticAttention(result->attention);
    result->logits = Vector::Zero(2);
    widgets::RunData run;
    run.result = result;
    run.axis.unit = "days";
    for (int i = 0; i <= events; ++i) {
        run.axis.labels.push_back(i == 0 ? "[CLS]" : (*record)[static_cast<std::size_t>(i - 1)].code);
        const double day = i == 0 ? TokenAxis::kNone : ((*record)[static_cast<std::size_t>(i - 1)].time->seconds - 946684800) / 86400.0;
        run.axis.position.push_back({day, 0, 0});
        run.tokens << QString::fromStdString(run.axis.labels.back());
    }
    run.name = "synthetic record";
    return {record, run};
}

nlohmann::json benchRecord(int events)
{
    auto [record, run] = syntheticRecord(events);
    widgets::ExplorerState state;
    widgets::TimelineView timeline(&state);
    widgets::TimeGapView gaps(&state);
    gaps.setComputeInBackground(true); // as the window's
    std::vector<std::size_t> tokenEvents{EhrTokens::kNoEvent};
    for (int i = 0; i < events; ++i)
        tokenEvents.push_back(static_cast<std::size_t>(i));
    timeline.setRecord(record, tokenEvents);
    state.setRun(run);
    timeline.resize(1100, 700);
    timeline.show();
    gaps.resize(860, 480);
    gaps.show();
    if (!QTest::qWaitForWindowExposed(&timeline))
        throw std::runtime_error("the timeline was never shown (no display?)");
    while (gaps.job().isRunning())
        gaps.job().wait();
    const int n = 16;
    const Stats head = timeEach(n, [&](int i) { state.select(0, i % 8); timeline.repaint(); });
    const Stats click = timeEach(n, [&](int i) { state.selectToken(1 + (i * 577) % events); timeline.repaint(); });
    const Stats hover = timeEach(n, [&](int i) {
        QMouseEvent move(QEvent::MouseMove, QPointF(140 + (i * 37) % 500, 100 + (i * 53) % 400), QPointF(), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&timeline, &move);
        timeline.repaint();
    });
    const Stats zoom = timeEach(n, [&](int i) {
        QWheelEvent wheel(QPointF(500, 300), QPointF(), QPoint(), QPoint(0, i % 2 ? 120 : -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&timeline, &wheel);
        timeline.repaint();
    });
    const Stats layerGui = timeEach(4, [&](int i) { state.select((i + 1) % 4, 0); gaps.repaint(); timeline.repaint(); });
    while (gaps.job().isRunning())
        gaps.job().wait();
    const Stats layerShown = timeEach(4, [&](int i) {
        state.select(i % 4 == 3 ? 0 : i % 4 + 1, 0);
        while (gaps.job().isRunning())
            gaps.job().wait();
        gaps.repaint();
    });
    return {{"view", "ehr"}, {"events", events}, {"layers", 4}, {"heads", 8}, {"timeline", "1100x700"},
            {"head_switch", json(head)}, {"event_click", json(click)}, {"hover", json(hover)}, {"zoom", json(zoom)},
            {"layer_switch_gui_thread", json(layerGui)}, {"layer_switch_heads_over_time_shown", json(layerShown)}};
}

nlohmann::json benchAlignment(int sequences, int columns)
{
    auto msa = std::make_shared<Msa>();
    std::mt19937 random(11);
    const std::string letters = "ACDEFGHIKLMNPQRSTVWY-";
    for (int r = 0; r < sequences; ++r) {
        MsaRow row;
        row.name = "seq" + std::to_string(r);
        for (int c = 0; c < columns; ++c)
            row.residues += letters[random() % (c % 3 == 0 ? 3 : letters.size())]; // some columns conserved
        msa->rows.push_back(std::move(row));
    }
    widgets::ExplorerState state;
    kinds::ProteinViews views(state);
    QWidget* tab = views.tabs().front().widget;
    tab->resize(1100, 700);
    tab->show();
    if (!QTest::qWaitForWindowExposed(tab))
        throw std::runtime_error("the alignment tab was never shown (no display?)");
    const auto t0 = std::chrono::steady_clock::now();
    views.showAlignment(msa);
    tab->repaint();
    const double shown = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    views.analysisJob().wait();
    const double analysed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    widgets::MsaView& view = *views.alignment();
    const Stats click = timeEach(16, [&](int i) {
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.cellRect(1 + i % 20, 3 + i % 30).center());
        tab->repaint();
    });
    return {{"view", "alignment"}, {"sequences", sequences}, {"columns", columns}, {"tab", "1100x700"},
            {"open_gui_thread_ms", shown}, {"analysis_shown_ms", analysed}, {"column_click", json(click)}};
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int events = argc > 1 ? std::stoi(argv[1]) : 4096;
    const int sequences = argc > 2 ? std::stoi(argv[2]) : 1000, columns = argc > 3 ? std::stoi(argv[3]) : 1000;
    try {
        std::cout << nlohmann::json{{"impl", "attnscope_kind_views"}, {"target_ms", 50.0},
                                    {"runs", {benchRecord(events), benchAlignment(sequences, columns)}}}
                         .dump()
                  << "\n";
    } catch (const std::exception& e) {
        std::cerr << "attnscope-bench-kinds: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
