#pragma once
/// @file SequenceMarks.h
/// Marks on a sequence's bases (BED intervals, motif occurrences) and on the tokens that cover them:
/// the annotations of DNA enrichment.

#include "io/BedFile.h"
#include "model/tokenizers/Encoding.h"

#include <string>
#include <vector>

namespace attn {

/// Marks the bases of `intervals` on sequence `name` in a run of `length` bases that starts at base
/// `firstBase` of that sequence (0-based; a window). Returns how many intervals fell on the run.
int markIntervals(std::vector<char>& bases, const std::vector<BedInterval>& intervals, const std::string& name, long firstBase);

/// Marks every occurrence of an IUPAC consensus (A C G T, R Y S W K M B D H V N) in `sequence`, on
/// either strand (the reverse complement of the consensus searched too). Returns the occurrences;
/// Error when the consensus has another letter.
int markMotif(std::vector<char>& bases, const std::string& sequence, const std::string& consensus);

/// One flag per token: whether any base it covers is marked (special tokens: never).
std::vector<char> tokensCovering(const std::vector<char>& bases, const Encoding& encoding);

} // namespace attn
