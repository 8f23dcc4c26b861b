#pragma once
/// @file Bpe.h
/// Byte-pair encoding of one pre-tokenised word, as Hugging Face tokenizers' BPE model applies
/// its merges: the word's characters (one UTF-8 sequence each; a character the vocabulary lacks
/// becomes the unknown token and merges with nothing), then, repeatedly, the adjacent pair whose
/// merge has the lowest rank is merged, the leftmost first among equal ranks. A priority queue
/// over pairs makes a word of n characters cost O(n log n), so a whole chromosome arm is one word.

#include "model/tokenizers/Encoding.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace attn {

/// The merges by the ids they join.
class BpeMerges {
public:
    BpeMerges() = default;
    /// Ranks are the list order; FormatError naming `where` when a merge names a token the
    /// vocabulary lacks or makes one it lacks.
    BpeMerges(const std::vector<std::pair<std::string, std::string>>& merges, const std::unordered_map<std::string, int>& ids,
              const std::string& where);

    /// The tokens of `word` (its first character at `offset` of the input) with the letters each covers.
    void encodeWord(std::string_view word, int offset, const std::unordered_map<std::string, int>& ids, int unk,
                    std::vector<std::pair<int, TokenSpan>>& out) const;
    /// True when there are no merges.
    bool empty() const { return table_.empty(); }

private:
    struct Merge {
        int rank = 0;
        int id = 0;
    };
    static std::uint64_t key(int left, int right)
    {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }
    std::unordered_map<std::uint64_t, Merge> table_;
};

} // namespace attn
