#include "interpret/HeadImportance.h"

#include "util/Error.h"
#include "util/ParallelRuns.h"
#include "util/Progress.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace attn {
namespace {

/// A run of the predictor with these heads ablated, its output only; with `cache` (a run of the same
/// input without changes), from the lowest changed layer up.
PredictionValues ablated(const Predictor& predictor, std::vector<HeadEdit> edits, Progress* progress, const LayerCache* cache = nullptr)
{
    const int lowest = edits.empty() ? 0 : std::min_element(edits.begin(), edits.end(), [](const HeadEdit& a, const HeadEdit& b) {
                                               return a.layer < b.layer;
                                           })->layer;
    RunOptions options = predictionRunOptions(Interventions(std::move(edits)), progress);
    if (cache && !options.interventions.empty()) {
        options.resumeFrom = cache;
        options.resumeLayer = lowest;
    }
    return predictor.forward(options);
}

/// The prediction without changes, recording what later runs resume from.
PredictionValues recorded(const Predictor& predictor, LayerCache& cache)
{
    RunOptions options;
    options.store.keepNone = true;
    options.recorder = &cache;
    return predictor.forward(options);
}

HeadEdit ablation(int index, int heads, HeadEditKind kind)
{
    HeadEdit e;
    e.layer = index / heads;
    e.head = index % heads;
    e.kind = kind;
    return e;
}

std::vector<double> ranks(const std::vector<double>& v)
{
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (std::size_t k = i; k <= j; ++k)
            r[order[k]] = 0.5 * static_cast<double>(i + j); // ties: the mean of their ranks
        i = j + 1;
    }
    return r;
}

/// The metric's change with the first `count` heads of `order` ablated together.
double prunedChange(const Predictor& predictor, const HeadImportance& importance, const std::vector<int>& order, std::size_t count,
                    Progress* progress)
{
    std::vector<HeadEdit> edits;
    for (std::size_t i = 0; i < count; ++i)
        edits.push_back(ablation(order[i], predictor.heads(), importance.ablation));
    return predictor.metric().change(importance.base, ablated(predictor, std::move(edits), progress));
}

} // namespace

HeadImportance headImportance(const Predictor& predictor, HeadEditKind kind, Progress* progress)
{
    check(kind == HeadEditKind::Zero || kind == HeadEditKind::Mean || kind == HeadEditKind::Uniform,
          "head importance ablates a head by zero, mean or uniform");
    const int layers = predictor.layers(), heads = predictor.heads();
    HeadImportance out;
    out.metric = predictor.metric().name();
    out.ablation = kind;
    LayerCache cache;
    out.base = recorded(predictor, cache);
    out.grid = Matrix::Zero(layers, heads);
    const int count = layers * heads;
    std::vector<PredictionValues> changed(static_cast<std::size_t>(count));
    parallelRuns(
        count, [&](int i, Progress& p) { changed[static_cast<std::size_t>(i)] = ablated(predictor, {ablation(i, heads, kind)}, &p, &cache); },
        [&](int i) { return "ablated L" + std::to_string(i / heads) + "H" + std::to_string(i % heads); }, progress);
    for (int i = 0; i < count; ++i) {
        out.grid(i / heads, i % heads) = static_cast<float>(predictor.metric().change(out.base, changed[static_cast<std::size_t>(i)]));
        out.details.push_back(predictor.metric().details(out.base, changed[static_cast<std::size_t>(i)]));
    }
    return out;
}

PruningCurve pruningCurve(const Predictor& predictor, const HeadImportance& importance, int seeds, unsigned seed, Progress* progress)
{
    const auto n = static_cast<std::size_t>(importance.grid.size());
    std::vector<int> byImportance(n);
    std::iota(byImportance.begin(), byImportance.end(), 0);
    std::stable_sort(byImportance.begin(), byImportance.end(),
                     [&](int a, int b) { return importance.grid.data()[a] > importance.grid.data()[b]; });
    std::vector<std::vector<int>> orders{byImportance};
    for (int s = 0; s < seeds; ++s) {
        std::mt19937 random(seed + static_cast<unsigned>(s));
        orders.push_back(byImportance);
        std::shuffle(orders.back().begin(), orders.back().end(), random);
    }
    PruningCurve out;
    for (int step = 0; step <= 10; ++step)
        out.fractions.push_back(step / 10.0);
    const std::size_t steps = out.fractions.size();
    std::vector<double> change(orders.size() * steps);
    parallelRuns(
        static_cast<int>(change.size()),
        [&](int i, Progress& p) {
            const auto k = static_cast<std::size_t>(i);
            const auto count = static_cast<std::size_t>(std::lround(out.fractions[k % steps] * static_cast<double>(n)));
            change[k] = prunedChange(predictor, importance, orders[k / steps], count, &p);
        },
        [](int) { return std::string("pruning curves"); }, progress);
    out.byImportance.assign(change.begin(), change.begin() + static_cast<std::ptrdiff_t>(steps));
    for (int s = 0; s < seeds; ++s)
        out.random.emplace_back(change.begin() + static_cast<std::ptrdiff_t>((s + 1) * steps),
                                change.begin() + static_cast<std::ptrdiff_t>((s + 2) * steps));
    return out;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b)
{
    check<ShapeError>(a.size() == b.size(), "Spearman's correlation of samples of different sizes");
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::numeric_limits<double>::quiet_NaN();
}

std::map<std::string, double> importanceCorrelations(const HeadImportance& importance, const std::vector<HeadStats>& stats)
{
    std::vector<double> grid, entropy, distance, sink, temperature;
    for (const HeadStats& s : stats) {
        if (s.layer >= importance.grid.rows() || s.head >= importance.grid.cols())
            continue;
        grid.push_back(importance.grid(s.layer, s.head));
        entropy.push_back(s.entropyBits);
        distance.push_back(s.meanDistance);
        sink.push_back(s.clsMass);
        temperature.push_back(s.temperature);
    }
    return {{"entropy", spearman(grid, entropy)}, {"distance", spearman(grid, distance)},
            {"sink_mass", spearman(grid, sink)}, {"temperature", spearman(grid, temperature)}};
}

HeadEditKind parseAblation(const std::string& name)
{
    if (name == "zero" || name == "mean" || name == "uniform")
        return name == "zero" ? HeadEditKind::Zero : name == "mean" ? HeadEditKind::Mean : HeadEditKind::Uniform;
    throw Error("--ablation " + name + ": expected zero, mean or uniform");
}

} // namespace attn
