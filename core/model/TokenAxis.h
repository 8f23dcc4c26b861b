#pragma once
/// @file TokenAxis.h
/// The token axis of a run, for every kind of input: a label per token and where the token
/// sits in the input's own coordinates (bases along a DNA sequence, patient-space millimetres
/// of a CT token's centre, residues, days), so that views and statistics need not know the
/// kind. Tokens with no place in the input ([CLS], [SEP], padding) have no position.

#include "tensor/Tensor.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace attn {

struct Encoding;

/// A column of per-token numbers, or of text, written to tokens.tsv after the index and the label.
struct TokenColumn {
    std::string name;           ///< Header, e.g. "z" or "x_mm".
    std::vector<double> values; ///< One per token; NaN where the token has none.
    bool integer = false;       ///< Written without decimals.
    std::vector<std::string> text; ///< One per token for a text column (then `values` is empty).
};

/// Labels and positions of a run's tokens ([CLS] first).
struct TokenAxis {
    /// "No position".
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

    std::vector<std::string> labels;             ///< One per token.
    std::vector<std::array<double, 3>> position; ///< In `unit`; only the first `dimensions` are used; NaN: none.
    int dimensions = 1;                          ///< 1 (bases, residues, days) or 3 (mm).
    std::string unit = "tokens";                 ///< Unit of positions and distances.
    std::string labelColumn = "token";           ///< Header of the label column in tokens.tsv.
    std::vector<TokenColumn> columns;            ///< Further tokens.tsv columns (CT: grid index, centre mm).

    /// Number of tokens.
    int size() const { return static_cast<int>(labels.size()); }
    /// True if token i has a position.
    bool placed(Index i) const { return !std::isnan(position[static_cast<std::size_t>(i)][0]); }
    /// Euclidean distance between two tokens, in `unit` (NaN when either has no place).
    double distance(Index i, Index j) const;
    /// Distances from token i to every token, into `out` (resized): one pass for head statistics.
    void distancesFrom(Index i, std::vector<double>& out) const;
};

/// Tokens numbered 0..n-1 with labels: position = index, unit "tokens" (hand-made runs).
TokenAxis indexTokenAxis(std::vector<std::string> labels);

/// A tokenised sequence: each token's position is the centre of the bases it covers (0-based),
/// in "bases"; special tokens have none.
TokenAxis sequenceTokenAxis(const Encoding& encoding);

} // namespace attn
