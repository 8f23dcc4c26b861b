#pragma once
/// @file TimeGapProfile.h
/// How far in time each head of a layer looks: for every query event, the share of its attention
/// (over the other events, [CLS] and itself left out) that goes to keys whose time gap |Δt| falls
/// in each bin, averaged over the query events; and the attention-weighted mean gap in days. The
/// token axis' positions must be in days (EHR runs); tokens without one are left out.

#include "attention/AttentionStore.h"
#include "model/TokenAxis.h"
#include "util/Progress.h"

#include <vector>

namespace attn {

/// The gap bins' edges in days: [0, 1), [1, 7), [7, 30), [30, 90), [90, 365), [365, 1095),
/// [1095, 3650), [3650, inf).
const std::vector<double>& timeGapEdges();

/// One head's profile.
struct HeadTimeGap {
    std::vector<double> share; ///< Per bin (timeGapEdges().size() bins), summing to 1 when any query has keys.
    double meanDays = 0;       ///< Mean over queries of the attention-weighted |Δt| (days).
    double backShare = 0;      ///< Mean share of attention on earlier events.
};

/// Every head of `layer` (which the store must keep), one head a thread. Throws Cancelled when
/// `progress` asks to stop (checked at every query event).
std::vector<HeadTimeGap> timeGapProfile(const AttentionStore& store, const TokenAxis& axis, int layer, const Progress* progress = nullptr);

/// What a head attending uniformly would give, the chance level: per bin, the mean over query
/// events of the fraction of the other events in it.
std::vector<double> uniformTimeGapShare(const TokenAxis& axis);

} // namespace attn
