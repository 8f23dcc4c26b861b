#pragma once
/// @file Faithfulness.h
/// Does a map rank the inputs the way the model uses them? Deletion and insertion curves (RISE,
/// Petsiuk et al. 2018): the input's tokens removed, or added back, in the map's order, the
/// prediction's score after each step and the area under each curve; ERASER's comprehensiveness and
/// sufficiency (DeYoung et al. 2020) at 1, 5, 10, 20 and 50 % of the tokens and their means (AOPC);
/// the same for random orders, the baseline every curve is read against. A removed token is
/// replaced by the kind's own neutral input (Predictor::replacement). docs/faithfulness.md.

#include "attention/HeadEdits.h"
#include "interpret/Attributions.h"
#include "interpret/Predictor.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace attn {

class Progress;

/// What is computed.
struct FaithfulnessOptions {
    int seeds = 5;        ///< Random orders.
    unsigned seed = 0;    ///< The first's seed (std::mt19937; then seed + 1, ...).
    std::vector<double> fractions{0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
                                  0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0}; ///< Curve points.
    std::vector<double> bins{0.01, 0.05, 0.1, 0.2, 0.5}; ///< ERASER's AOPC bins.
    Interventions interventions; ///< Heads changed in every forward (the faithfulness of an intervened run).
};

/// The curves of one order of removal.
struct FaithfulnessCurves {
    std::vector<double> deletion;  ///< The score with the first fraction of the order removed, per fraction.
    std::vector<double> insertion; ///< The score with only the first fraction of the order kept, per fraction.
    double deletionAuc = 0;        ///< Area under deletion (trapezoids over the fractions): lower is more faithful.
    double insertionAuc = 0;       ///< Area under insertion: higher is more faithful.
    std::vector<double> comprehensiveness; ///< Per bin: base score - score without the bin's top tokens.
    std::vector<double> sufficiency;       ///< Per bin: base score - score with only the bin's top tokens.
    double comprehensivenessAopc = 0;      ///< Their means over the bins.
    double sufficiencyAopc = 0;
};

/// A map's faithfulness on one input.
struct Faithfulness {
    std::string score;        ///< What the curves plot (PredictionMetric::scoreName).
    std::string replacement;  ///< What stands for a removed token.
    double baseScore = 0;     ///< The score of the unchanged input.
    std::size_t removable = 0; ///< Tokens ranked (special tokens are never removed).
    FaithfulnessOptions options;
    FaithfulnessCurves source;              ///< In the map's order.
    std::vector<FaithfulnessCurves> random; ///< One per seed.
};

/// The removable tokens by decreasing score (ties: the earlier token first).
std::vector<Index> removalOrder(const RowVector& scores, const std::vector<bool>& removable);

/// Per point, the mean and the standard deviation (of the population) of curves, all as long as the
/// first: the random orders' band.
std::pair<std::vector<double>, std::vector<double>> curveBand(const std::vector<std::vector<double>>& curves);

/// The area under y over x by trapezoids.
double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y);

/// The curves of `scores`' order and of `options.seeds` random orders; Error when the predictor
/// cannot remove tokens or has none to remove. Progress steps per forward; Cancel between them.
Faithfulness faithfulness(const Predictor& predictor, const RowVector& scores, const FaithfulnessOptions& options, Progress* progress);

/// Spearman's rank correlation of two sources' scores over the tokens that can be removed.
struct SourceCorrelation {
    AttributionMethod a, b;
    double rho = 0; ///< NaN when either ranks every token alike.
};

/// Every pair of the sources, in method order.
std::vector<SourceCorrelation> sourceCorrelations(const std::map<AttributionMethod, RowVector>& scores, const std::vector<bool>& removable);

} // namespace attn
