#pragma once
/// @file HeadImportance.h
/// How much each head matters to a prediction: the exact change of the predictor's metric when that
/// head alone is ablated (Michel et al. 2019 estimate it from gradients; here it is measured, one
/// forward per head), the cumulative pruning curve against random orders, and Spearman's rank
/// correlation for comparing importance with the head statistics. docs/head-importance.md.

#include "attention/HeadEdits.h"
#include "interpret/HeadStatistics.h"
#include "interpret/Predictor.h"

#include <map>
#include <string>
#include <vector>

namespace attn {

class Progress;

/// Every head's importance for one prediction.
struct HeadImportance {
    std::string metric;   ///< The predictor's metric.
    HeadEditKind ablation = HeadEditKind::Zero;
    Matrix grid;          ///< [layers, heads]: the metric's change when that head alone is ablated.
    std::vector<std::map<std::string, double>> details; ///< Per head, layer-major: the metric's details.
    PredictionValues base; ///< The prediction without changes.
};

/// Ablates each head alone (zero, mean or uniform), keeping no attention; progress step per head,
/// and Cancel between forwards (and inside them).
HeadImportance headImportance(const Predictor& predictor, HeadEditKind ablation, Progress* progress);

/// The metric's change as more heads are ablated together, in order of importance and in random orders.
struct PruningCurve {
    std::vector<double> fractions;             ///< Share of the heads removed: 0, 0.1, ..., 1.
    std::vector<double> byImportance;          ///< The change with the most important heads removed first.
    std::vector<std::vector<double>> random;   ///< One curve per seed, heads in a random order.
};

/// Michel et al.'s cumulative pruning: the heads removed 10 % at a time, by decreasing importance and in
/// `seeds` random orders (std::mt19937 seeded seed, seed + 1, ...).
PruningCurve pruningCurve(const Predictor& predictor, const HeadImportance& importance, int seeds, unsigned seed,
                          Progress* progress);

/// Spearman's rank correlation of two samples (ties take their mean rank); NaN when either is constant.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

/// Spearman's correlation between importance and each head statistic over the heads both cover:
/// "entropy", "distance", "sink_mass" (weight on key 0) and "temperature".
std::map<std::string, double> importanceCorrelations(const HeadImportance& importance, const std::vector<HeadStats>& stats);

/// "zero", "mean" or "uniform" as an ablation; Error otherwise.
HeadEditKind parseAblation(const std::string& name);

} // namespace attn
