#pragma once
/// @file AttentionMask.h
/// Which keys a query may attend to, and the linear bias ALiBi adds to its scores.

#include <vector>

namespace attn {

/// Key padding and causal masking, as PyTorch's key_padding_mask and is_causal.
struct AttentionMask {
    std::vector<bool> keyPadding; ///< true where a key is padding (never attended); empty = none.
    bool causal = false;          ///< Query i attends only to keys j <= i.
    /// ALiBi (Press et al. 2022), symmetric as MosaicBERT uses it: head h's score of key j from
    /// query i gains -alibiSlopes[h] * |i - j| before the softmax; empty = none.
    std::vector<float> alibiSlopes;

    /// True if key j is hidden from query i.
    bool masked(long i, long j) const
    {
        return (causal && j > i) || (!keyPadding.empty() && keyPadding[static_cast<std::size_t>(j)]);
    }
};

} // namespace attn
