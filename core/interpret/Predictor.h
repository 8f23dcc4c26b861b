#pragma once
/// @file Predictor.h
/// A model and one prepared input, run again and again with interventions: what head importance,
/// pruning curves and the prediction panel compare. Each kind makes one from a run
/// (Kind::predictor); the metric says how a change of the prediction is measured.

#include "model/RunResult.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// The numbers of one forward that a metric reads: class logits, per-token log-likelihoods, labels.
using PredictionValues = std::vector<float>;

/// How the change between a prediction and a changed one is measured.
class PredictionMetric {
public:
    virtual ~PredictionMetric() = default;
    /// What is measured, for JSON and the panel: "KL(p || p_ablated)".
    virtual std::string name() const = 0;
    /// The cost of the change: positive when the changed run moved away from the prediction.
    virtual double change(const PredictionValues& base, const PredictionValues& changed) const = 0;
    /// More numbers of the change (a classifier's Δlogit and Δprobability of its predicted class).
    virtual std::map<std::string, double> details(const PredictionValues& base, const PredictionValues& changed) const = 0;
    /// The unchanged prediction in a few numbers (a classifier's predicted class and its probability).
    virtual std::map<std::string, double> summary(const PredictionValues& base) const = 0;
    /// What a faithfulness curve plots: "probability of the predicted class".
    virtual std::string scoreName() const = 0;
    /// The changed prediction as that number, the base's predicted class or segmentation as reference.
    virtual double score(const PredictionValues& base, const PredictionValues& changed) const = 0;
};

/// A classifier's logits [C]: KL(p || p_changed) of the class probabilities; details: the predicted
/// class's delta_logit and delta_probability (changed minus original).
std::unique_ptr<PredictionMetric> classifierMetric();
/// Per-token log-likelihoods of the input's own tokens under a masked LM [T]: the drop of their sum;
/// details: log_likelihood (the changed run's sum) and delta_log_likelihood.
std::unique_ptr<PredictionMetric> logLikelihoodMetric();
/// A label per voxel [N]: 1 - Dice (the mean over the labels above 0 present in either); details: dice.
std::unique_ptr<PredictionMetric> segmentationMetric();

/// The options of a run whose prediction alone is wanted: no attention kept, RunOptions::predictionOnly,
/// these interventions and this progress.
RunOptions predictionRunOptions(Interventions interventions = {}, Progress* progress = nullptr);

/// A model and a prepared input.
class Predictor {
public:
    virtual ~Predictor() = default;
    virtual int layers() const = 0;
    virtual int heads() const = 0;
    /// One forward with these options (the caller's store plan, usually StorePlan::keepNone).
    virtual PredictionValues forward(const RunOptions& options) const = 0;
    /// How its predictions are compared.
    virtual const PredictionMetric& metric() const = 0;

    /// Its input's tokens (the positions of attention's rows and columns).
    virtual Index tokens() const = 0;
    /// True when its prediction reads the first token alone (a classifier on [CLS]); false when it
    /// reads every token (a masked LM's likelihood, a segmentation).
    virtual bool readsFirstToken() const = 0;
    /// What replaces a removed token, for figures: "N", "<mask>", "the event removed". Empty when the
    /// kind has none yet (then forwardWithout refuses).
    virtual std::string replacement() const { return {}; }
    /// The tokens that may be removed (not [CLS], [SEP], padding): faithfulness ranks these alone.
    virtual std::vector<bool> removable() const { return std::vector<bool>(static_cast<std::size_t>(tokens()), false); }
    /// One forward with the tokens flagged in `removed` replaced (replacement()); by default refused.
    virtual PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& options) const;
};

/// A prediction with some heads changed, beside the unchanged one (the prediction panel).
struct PredictionComparison {
    std::string interventions;              ///< "L2H5 zeroed, L0H1 T=2".
    std::string metric;                     ///< PredictionMetric::name.
    double change = 0;                      ///< The metric's change, unchanged -> changed.
    std::map<std::string, double> details;  ///< Its details (Δlogit, Δprobability, Dice, ...).
    std::map<std::string, double> summary;  ///< The unchanged prediction's summary.
    PredictionValues base;                  ///< The unchanged prediction.
    PredictionValues changed;               ///< With the interventions.
};

/// Runs the predictor twice, prediction only (keeping no attention), without and with `interventions`.
PredictionComparison comparePredictions(const Predictor& predictor, const Interventions& interventions, Progress* progress);

/// The per-token log-likelihood of `ids` under masked-LM logits [T, vocab]: log softmax(row t)[ids[t]].
PredictionValues tokenLogLikelihoods(const Matrix& logits, const std::vector<int>& ids);

} // namespace attn
