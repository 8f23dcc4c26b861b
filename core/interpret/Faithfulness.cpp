#include "interpret/Faithfulness.h"

#include "interpret/HeadImportance.h"

#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace attn {
namespace {

/// Runs one order's removals: each forward steps the progress.
class OrderRun {
public:
    OrderRun(const Predictor& predictor, const PredictionValues& base, std::vector<Index> order, Progress& progress, long& done, long total,
             const Interventions& interventions)
        : predictor_(predictor), base_(base), order_(std::move(order)), progress_(progress), done_(done), total_(total),
          options_(predictionRunOptions(interventions, &progress))
    {
    }
    /// The score with the first `count` tokens of the order removed (or, `keepOnly`, only those kept);
    /// with nothing removed, the base's, without a forward.
    double score(std::size_t count, bool keepOnly)
    {
        ++done_;
        progress_.step(done_ - 1, total_, "faithfulness: forward " + std::to_string(done_) + " of " + std::to_string(total_));
        if ((count == 0 && !keepOnly) || (count >= order_.size() && keepOnly))
            return predictor_.metric().score(base_, base_); // nothing removed: the unchanged input, run already
        std::vector<bool> removed(static_cast<std::size_t>(predictor_.tokens()), false);
        for (std::size_t k = 0; k < order_.size(); ++k)
            removed[static_cast<std::size_t>(order_[k])] = (k < count) != keepOnly;
        return predictor_.metric().score(base_, predictor_.forwardWithout(removed, options_));
    }
    std::size_t size() const { return order_.size(); }

private:
    const Predictor& predictor_;
    const PredictionValues& base_;
    std::vector<Index> order_;
    Progress& progress_;
    long& done_;
    long total_;
    RunOptions options_;
};

std::size_t countOf(double fraction, std::size_t n, bool atLeastOne)
{
    const auto k = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(n)));
    return std::min(n, atLeastOne ? std::max<std::size_t>(k, 1) : k);
}

double mean(const std::vector<double>& v)
{
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

FaithfulnessCurves curvesOf(OrderRun& run, double baseScore, const FaithfulnessOptions& o)
{
    FaithfulnessCurves c;
    for (double f : o.fractions) {
        c.deletion.push_back(run.score(countOf(f, run.size(), false), false));
        c.insertion.push_back(run.score(countOf(f, run.size(), false), true));
    }
    c.deletionAuc = trapezoidArea(o.fractions, c.deletion);
    c.insertionAuc = trapezoidArea(o.fractions, c.insertion);
    for (double b : o.bins) {
        c.comprehensiveness.push_back(baseScore - run.score(countOf(b, run.size(), true), false));
        c.sufficiency.push_back(baseScore - run.score(countOf(b, run.size(), true), true));
    }
    c.comprehensivenessAopc = mean(c.comprehensiveness);
    c.sufficiencyAopc = mean(c.sufficiency);
    return c;
}

} // namespace

std::vector<Index> removalOrder(const RowVector& scores, const std::vector<bool>& removable)
{
    std::vector<Index> order;
    for (Index t = 0; t < scores.size() && t < static_cast<Index>(removable.size()); ++t)
        if (removable[static_cast<std::size_t>(t)])
            order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return scores(a) > scores(b); });
    return order;
}

std::pair<std::vector<double>, std::vector<double>> curveBand(const std::vector<std::vector<double>>& curves)
{
    const std::size_t points = curves.empty() ? 0 : curves.front().size();
    std::vector<double> mean(points, 0.0), sd(points, 0.0);
    const double n = static_cast<double>(std::max<std::size_t>(1, curves.size()));
    for (const auto& c : curves)
        for (std::size_t i = 0; i < points && i < c.size(); ++i)
            mean[i] += c[i] / n;
    for (const auto& c : curves)
        for (std::size_t i = 0; i < points && i < c.size(); ++i)
            sd[i] += (c[i] - mean[i]) * (c[i] - mean[i]) / n;
    for (double& v : sd)
        v = std::sqrt(v);
    return {mean, sd};
}

double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y)
{
    double area = 0;
    for (std::size_t i = 1; i < x.size() && i < y.size(); ++i)
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    return area;
}

Faithfulness faithfulness(const Predictor& predictor, const RowVector& scores, const FaithfulnessOptions& options, Progress* progress)
{
    check(!predictor.replacement().empty(), "faithfulness: removing input tokens is not done for this kind's models yet");
    check<ShapeError>(scores.size() == predictor.tokens(), "faithfulness: the map has " + std::to_string(scores.size())
                                                               + " tokens, the input " + std::to_string(predictor.tokens()));
    const std::vector<bool> removable = predictor.removable();
    const std::vector<Index> order = removalOrder(scores, removable);
    check(!order.empty(), "faithfulness: the input has no tokens to remove");
    Progress none;
    Progress& p = progress ? *progress : none;
    const PredictionValues base = predictor.forward(predictionRunOptions(options.interventions));
    Faithfulness out{predictor.metric().scoreName(), predictor.replacement(), predictor.metric().score(base, base), order.size(), options, {}, {}};
    long done = 0;
    const long total = static_cast<long>((options.seeds + 1) * 2 * (options.fractions.size() + options.bins.size()));
    OrderRun mapped(predictor, base, order, p, done, total, options.interventions);
    out.source = curvesOf(mapped, out.baseScore, options);
    std::vector<Index> natural = order; // the random orders shuffle the tokens in input order: the same for every map
    std::sort(natural.begin(), natural.end());
    for (int s = 0; s < options.seeds; ++s) {
        std::vector<Index> shuffled = natural;
        std::mt19937 rng(options.seed + static_cast<unsigned>(s));
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        OrderRun random(predictor, base, std::move(shuffled), p, done, total, options.interventions);
        out.random.push_back(curvesOf(random, out.baseScore, options));
    }
    return out;
}

std::vector<SourceCorrelation> sourceCorrelations(const std::map<AttributionMethod, RowVector>& scores, const std::vector<bool>& removable)
{
    const auto ranked = [&](const RowVector& s) {
        std::vector<double> v;
        for (Index t = 0; t < s.size(); ++t)
            if (static_cast<std::size_t>(t) < removable.size() && removable[static_cast<std::size_t>(t)])
                v.push_back(s(t));
        return v;
    };
    std::vector<SourceCorrelation> out;
    for (auto a = scores.begin(); a != scores.end(); ++a)
        for (auto b = std::next(a); b != scores.end(); ++b)
            out.push_back({a->first, b->first, spearman(ranked(a->second), ranked(b->second))});
    return out;
}

} // namespace attn
