#pragma once
/// @file ColumnProfile.h
/// What each column of an alignment holds, for the alignment view's colours and tracks:
/// residue fractions, the consensus, a conservation score, and the Clustal X colour class of a
/// residue in its column (Jalview's emulation of Clustal X: a residue is coloured only when the
/// column's profile passes that residue's thresholds).
///
/// Fractions are over all rows, gaps included in the denominator (as Jalview counts them), and
/// unweighted. Conservation is 1 - H / log(21), H the Shannon entropy of the column's 20 amino
/// acids and the gap, frequencies weighted by the 80 % identity sequence weights when given
/// (other letters, X, B, Z, count as gaps): 1 for a column of one residue, 0 for a uniform one.

#include "msa/Msa.h"

#include <array>
#include <cstdint>
#include <vector>

namespace attn {

/// One column's profile.
struct ColumnProfile {
    std::array<float, 26> fraction{}; ///< Fraction of rows with letter 'A' + i.
    float gapFraction = 0.0f;         ///< Fraction of rows with a gap ('-').
    char consensus = '-';             ///< The most frequent letter ('-' for an all-gap column; ties: first in the alphabet).
    float consensusFraction = 0.0f;   ///< Its fraction of the rows.
    float conservation = 0.0f;        ///< (1 - H / log 21) x (1 - weighted gap fraction), in [0, 1]:
                                      ///< a column mostly of gaps is not conserved (Capra & Singh 2007's gap penalty).
    /// Fraction of `letter` (uppercase); 0 for anything else.
    float of(char letter) const;
};

/// Every column's profile. `weights` (one per row, e.g. sequenceWeights) weigh the conservation;
/// empty: every row counts 1.
std::vector<ColumnProfile> columnProfiles(const Msa& msa, const std::vector<double>& weights = {});

/// Clustal X's colour classes.
enum class ClustalClass : std::uint8_t { None, Hydrophobic, Positive, Negative, Polar, Cysteine, Glycine, Proline, Aromatic };

/// The class of `residue` in a column with this profile (None: shown uncoloured).
ClustalClass clustalClass(char residue, const ColumnProfile& column);

/// Jalview's colour of a class as 0xRRGGBB (white for None).
std::uint32_t clustalColour(ClustalClass cls);

} // namespace attn
