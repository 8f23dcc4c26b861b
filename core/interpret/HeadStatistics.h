#pragma once
/// @file HeadStatistics.h
/// Per-head summaries that show which heads are sharp and which are diffuse.
///
/// Every statistic is a mean over the head's non-padded query rows i (the [CLS] row
/// included); a_ij is the head's softmax weight of query i on key j, K_i the non-padded
/// keys, s_ij = q_i . k_j / sqrt(d_head)
/// the scaled pre-softmax score:
///  - entropy (bits): -sum_j a_ij log2 a_ij. 0 for a head that looks at one key;
///    log2 |K_i| for a uniform one (reported alongside as maxEntropy).
///  - mean attended distance, in the token axis' unit (bases, mm, residues, days):
///    sum_j a_ij d(i, j) over the keys j that have a place in the input, averaged over the
///    query rows that have one (TokenAxis: [CLS], [SEP] and padding have none, so their
///    weight adds no distance; with the plain index axis it is |i - j| over every token).
///  - [CLS] mass: a_i0, the weight on the [CLS] token (often a "no-op" sink).
///  - padding mass: sum over padded keys j of a_ij (0 when padding is masked, as it
///    should be; a non-zero value means the mask was not applied).
///  - score spread sigma: the standard deviation of s_ij over j in K_i. The softmax of
///    scores with spread sigma is as peaked as a softmax of unit-spread scores at
///    temperature 1 / sigma, so the effective temperature is reported as 1 / sigma:
///    low for sharp heads, high for diffuse ones. Recorded by the attention kernel
///    before the softmax (AttentionStore::scoreSpread), so it is exact, not inferred.

#include "attention/AttentionStore.h"
#include "model/TokenAxis.h"

#include <vector>

namespace attn {

/// The statistics of one head.
struct HeadStats {
    int layer = 0;
    int head = 0;
    double entropyBits = 0.0;      ///< Mean row entropy, bits.
    double maxEntropyBits = 0.0;   ///< Mean of log2 |K_i|: the entropy of uniform attention.
    double meanDistance = 0.0;     ///< Mean attended distance, in the axis' unit.
    double clsMass = 0.0;          ///< Mean weight on key 0.
    double paddingMass = 0.0;      ///< Mean weight on padded keys.
    double scoreSpread = 0.0;      ///< Mean standard deviation of the scaled scores.
    double temperature = 0.0;      ///< 1 / scoreSpread (infinity when the spread is 0).
};

/// Statistics of every head of every kept layer, ordered by layer then head.
std::vector<HeadStats> headStatistics(const AttentionStore& store, const std::vector<bool>& keyPadding, const TokenAxis& axis);

/// Statistics of one head; the layer must be kept.
HeadStats headStatistics(const AttentionStore& store, const std::vector<bool>& keyPadding, const TokenAxis& axis, int layer, int head);

} // namespace attn
