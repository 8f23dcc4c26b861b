#pragma once
/// @file SequenceWeights.h
/// Sequence weights and the effective number of sequences of an alignment: each sequence
/// counts 1 / (the number of sequences at least `identity` identical to it, itself included),
/// identity being the fraction of columns where two rows have the same character, gaps
/// included (Morcos et al. 2011; as EVcouplings and plmc weight at 80 %). Neff is their sum.

#include "msa/Msa.h"

#include <vector>

namespace attn {

/// One weight per row, in (0, 1]. O(N^2 L).
std::vector<double> sequenceWeights(const Msa& msa, double identity = 0.8);

/// Sum of the weights.
double effectiveSequences(const std::vector<double>& weights);

} // namespace attn
