#include "interpret/Predictor.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace attn {
namespace {

/// log softmax of logits, in double.
std::vector<double> logProbabilities(const PredictionValues& logits)
{
    const double top = *std::max_element(logits.begin(), logits.end());
    double sum = 0.0;
    for (float v : logits)
        sum += std::exp(static_cast<double>(v) - top);
    std::vector<double> out(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i)
        out[i] = static_cast<double>(logits[i]) - top - std::log(sum);
    return out;
}

class ClassifierMetric : public PredictionMetric {
public:
    std::string name() const override { return "KL(p || p_ablated)"; }
    double change(const PredictionValues& base, const PredictionValues& changed) const override
    {
        check<ShapeError>(!base.empty() && base.size() == changed.size(), "the two predictions have different classes");
        const std::vector<double> p = logProbabilities(base), q = logProbabilities(changed);
        double kl = 0.0;
        for (std::size_t c = 0; c < p.size(); ++c)
            kl += std::exp(p[c]) * (p[c] - q[c]);
        return std::max(0.0, kl); // rounding can leave -1e-17 where the two are equal
    }
    std::map<std::string, double> details(const PredictionValues& base, const PredictionValues& changed) const override
    {
        const auto predicted = static_cast<std::size_t>(std::max_element(base.begin(), base.end()) - base.begin());
        const std::vector<double> p = logProbabilities(base), q = logProbabilities(changed);
        return {{"predicted_class", static_cast<double>(predicted)},
                {"delta_logit", static_cast<double>(changed[predicted]) - static_cast<double>(base[predicted])},
                {"delta_probability", std::exp(q[predicted]) - std::exp(p[predicted])}};
    }
    std::map<std::string, double> summary(const PredictionValues& base) const override
    {
        const auto predicted = static_cast<std::size_t>(std::max_element(base.begin(), base.end()) - base.begin());
        return {{"predicted_class", static_cast<double>(predicted)}, {"probability", std::exp(logProbabilities(base)[predicted])}};
    }
    std::string scoreName() const override { return "probability of the predicted class"; }
    double score(const PredictionValues& base, const PredictionValues& changed) const override
    {
        check<ShapeError>(!base.empty() && base.size() == changed.size(), "the two predictions have different classes");
        const auto predicted = static_cast<std::size_t>(std::max_element(base.begin(), base.end()) - base.begin());
        return std::exp(logProbabilities(changed)[predicted]);
    }
};

double sum(const PredictionValues& v)
{
    double s = 0.0;
    for (float x : v)
        s += x;
    return s;
}

class LogLikelihoodMetric : public PredictionMetric {
public:
    std::string name() const override { return "drop of the masked-LM log-likelihood of the input's tokens"; }
    double change(const PredictionValues& base, const PredictionValues& changed) const override { return sum(base) - sum(changed); }
    std::map<std::string, double> details(const PredictionValues& base, const PredictionValues& changed) const override
    {
        return {{"log_likelihood", sum(changed)}, {"delta_log_likelihood", sum(changed) - sum(base)}};
    }
    std::map<std::string, double> summary(const PredictionValues& base) const override { return {{"log_likelihood", sum(base)}}; }
    std::string scoreName() const override { return "log-likelihood of the input's tokens"; }
    double score(const PredictionValues& /*base*/, const PredictionValues& changed) const override { return sum(changed); }
};

/// The mean Dice over the labels above 0 present in either label map (1 when neither has any).
double meanDice(const PredictionValues& a, const PredictionValues& b)
{
    check<ShapeError>(a.size() == b.size(), "the two segmentations cover different voxels");
    std::set<int> labels;
    for (std::size_t i = 0; i < a.size(); ++i) {
        labels.insert(static_cast<int>(a[i]));
        labels.insert(static_cast<int>(b[i]));
    }
    labels.erase(0);
    if (labels.empty())
        return 1.0;
    double total = 0.0;
    for (int label : labels) {
        std::size_t inA = 0, inB = 0, both = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const bool x = static_cast<int>(a[i]) == label, y = static_cast<int>(b[i]) == label;
            inA += x;
            inB += y;
            both += x && y;
        }
        total += 2.0 * static_cast<double>(both) / static_cast<double>(inA + inB);
    }
    return total / static_cast<double>(labels.size());
}

class SegmentationMetric : public PredictionMetric {
public:
    std::string name() const override { return "1 - Dice between the two segmentations"; }
    double change(const PredictionValues& base, const PredictionValues& changed) const override { return 1.0 - meanDice(base, changed); }
    std::map<std::string, double> details(const PredictionValues& base, const PredictionValues& changed) const override
    {
        return {{"dice", meanDice(base, changed)}};
    }
    std::map<std::string, double> summary(const PredictionValues& base) const override
    {
        return {{"labelled_voxels", static_cast<double>(std::count_if(base.begin(), base.end(), [](float v) { return v > 0; }))}};
    }
    std::string scoreName() const override { return "Dice with the unchanged segmentation"; }
    double score(const PredictionValues& base, const PredictionValues& changed) const override { return meanDice(base, changed); }
};

} // namespace

std::unique_ptr<PredictionMetric> classifierMetric()
{
    return std::make_unique<ClassifierMetric>();
}

std::unique_ptr<PredictionMetric> logLikelihoodMetric()
{
    return std::make_unique<LogLikelihoodMetric>();
}

std::unique_ptr<PredictionMetric> segmentationMetric()
{
    return std::make_unique<SegmentationMetric>();
}

PredictionValues Predictor::forwardWithout(const std::vector<bool>& /*removed*/, const RunOptions& /*options*/) const
{
    throw Error("removing input tokens is not done for this kind's models yet");
}

RunOptions predictionRunOptions(Interventions interventions, Progress* progress)
{
    RunOptions options;
    options.store.keepNone = true;
    options.predictionOnly = true;
    options.interventions = std::move(interventions);
    options.progress = progress;
    return options;
}

PredictionComparison comparePredictions(const Predictor& predictor, const Interventions& interventions, Progress* progress)
{
    RunOptions options = predictionRunOptions({}, progress);
    PredictionComparison c;
    c.base = predictor.forward(options);
    options.interventions = interventions;
    c.changed = predictor.forward(options);
    const PredictionMetric& m = predictor.metric();
    c.interventions = interventions.describe();
    c.metric = m.name();
    c.change = m.change(c.base, c.changed);
    c.details = m.details(c.base, c.changed);
    c.summary = m.summary(c.base);
    return c;
}

PredictionValues tokenLogLikelihoods(const Matrix& logits, const std::vector<int>& ids)
{
    check<ShapeError>(logits.rows() == static_cast<Index>(ids.size()), "the logits and the tokens differ in length");
    PredictionValues out(ids.size());
    for (Index t = 0; t < logits.rows(); ++t) {
        const PredictionValues row(logits.row(t).data(), logits.row(t).data() + logits.cols());
        out[static_cast<std::size_t>(t)] = static_cast<float>(logProbabilities(row)[static_cast<std::size_t>(ids[static_cast<std::size_t>(t)])]);
    }
    return out;
}

} // namespace attn
