#pragma once
/// @file ContactMetric.h
/// A protein model's prediction judged against a structure: its contact head's long-range precision
/// at L (issue 25's metric for ESM and the MSA Transformer when a structure is open), for head
/// importance, the prediction line and faithfulness alike.

#include "interpret/Predictor.h"

#include <memory>
#include <vector>

namespace attn {

/// What a contact map is compared with: the structure's contacts in the query's numbering [L, L]
/// (trueContacts: 1 contact, 0 not, NaN unknown), and which of the positions the model predicts over
/// are the query's residues, in order (empty: all of them; the MSA Transformer's query columns).
struct ContactTruth {
    Matrix truth;
    std::vector<std::size_t> queryPositions;
};

/// Predictions that are contact maps in the query's numbering, flattened row by row [L * L]: the
/// drop of long-range P@L against the truth (positive: the changed map finds fewer contacts);
/// details: long_range_precision_original, long_range_precision_changed and delta_long_range_precision;
/// summary: long_range_precision; score: the changed map's long-range P@L.
std::unique_ptr<PredictionMetric> contactPrecisionMetric(std::shared_ptr<const ContactTruth> truth);

/// A contact map over the model's positions [P, P] as the metric reads it: in the query's numbering,
/// flattened.
PredictionValues contactValues(const Matrix& overPositions, const ContactTruth& truth);

} // namespace attn
