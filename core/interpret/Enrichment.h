#pragma once
/// @file Enrichment.h
/// Per-head enrichment of confident attention on what the ground truth marks (Vig et al. 2020,
/// "BERTology meets biology"): for each head, the share of its attention weight above a threshold that
/// falls on annotated positions or pairs, against the background share, with a permutation p-value
/// (annotations shuffled within bins of separation or distance) and Benjamini-Hochberg q-values
/// across heads. docs/enrichment.md.

#include "attention/AttentionStore.h"

#include <optional>
#include <utility>
#include <vector>

namespace attn {

class Progress;

/// What the ground truth marks over a run's tokens.
struct TokenAnnotations {
    /// Positions: a weight α_ij counts when its key j is marked (a binding site, a motif, a masked
    /// voxel's token). One flag per token; empty when the annotation is of pairs.
    std::vector<char> positions;
    /// Pairs: a weight counts when (i, j) is marked, in either order (a contact, a clinical link).
    std::vector<std::pair<Index, Index>> pairs;
    /// Tokens that take part (special tokens, padding excluded); empty: all.
    std::vector<char> eligible;
    /// Positions: each token's bin; permutations move marks only within a bin (empty: one bin). Pairs
    /// are binned by separation |i - j| (1, 2-3, 4-7, 8-15, ...).
    std::vector<int> positionBins;
    /// Pairs: a coordinate per token whose difference bins them instead (EHR: days, so pairs are
    /// shuffled within time-gap bins); NaN for a token without one (its pairs form a bin of their own).
    std::vector<double> pairCoordinate;

    bool ofPairs() const { return positions.empty(); }
};

/// How enrichment is measured.
struct EnrichmentOptions {
    float threshold = 0.3f;   ///< A weight is confident above it (Vig et al.: 0.3).
    int permutations = 1000;  ///< Shuffles of the annotations for the null.
    unsigned seed = 0;        ///< Of the shuffles (std::mt19937).
    long minimumCount = 100;  ///< Heads with fewer confident weights get no p or q (Vig et al.: 100).
};

/// One head's enrichment.
struct HeadEnrichment {
    int layer = 0;
    int head = 0;
    double share = 0.0;      ///< Of its confident attention weight, the share on annotated keys or pairs.
    double background = 0.0; ///< The share of eligible (query, key) pairs that are annotated.
    long count = 0;          ///< Its confident weights.
    std::optional<double> p; ///< Permutation p-value, (1 + #{null share >= share}) / (1 + permutations).
    std::optional<double> q; ///< Benjamini-Hochberg over the heads with a p.
};

/// One input's attention and its annotations.
struct AnnotatedRun {
    const AttentionStore* attention = nullptr;
    TokenAnnotations annotations;
};

/// Every kept head, layer-major, pooled over the inputs as Vig et al. pool a corpus: a head's share is
/// its confident weight on marks over its confident weight, summed over the inputs; the background is
/// that of all the inputs' eligible pairs; each permutation shuffles every input's marks within its own
/// bins. The inputs' stores must have the same layers and heads. Cancel between heads.
std::vector<HeadEnrichment> headEnrichment(const std::vector<AnnotatedRun>& runs, const EnrichmentOptions& options, Progress* progress);

/// One input.
std::vector<HeadEnrichment> headEnrichment(const AttentionStore& store, const TokenAnnotations& annotations,
                                           const EnrichmentOptions& options, Progress* progress);

/// Benjamini-Hochberg adjusted p-values (q), in the order of `p`.
std::vector<double> benjaminiHochberg(const std::vector<double>& p);

/// The separation bin of a pair: 0 for |i - j| = 0, then 1 for 1, 2 for 2-3, 3 for 4-7, ... (floor(log2 |i - j|) + 1).
int separationBin(Index i, Index j);
/// The bin of a pair under the annotations: separationBin of their coordinates' whole difference when
/// pairCoordinate is given (-1 when either has none), else of their indices.
int pairBin(const TokenAnnotations& annotations, Index i, Index j);

} // namespace attn
