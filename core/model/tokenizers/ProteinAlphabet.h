#pragma once
/// @file ProteinAlphabet.h
/// The token alphabet of the protein families (fair-esm's Alphabet.all_toks; Hugging Face's
/// vocab.txt for ESM): special tokens and one token per residue letter.

#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// Tokens in index order and the special ones' ids.
class ProteinAlphabet {
public:
    /// The 33-token alphabet of ESM-1b, ESM-2 and the MSA Transformer: <cls> <pad> <eos> <unk>,
    /// L A G V S E R T I D P K Q N F Y M H W C X B U Z O . -, <null_1>, <mask>.
    static ProteinAlphabet esm();
    /// An alphabet from its tokens in index order; FormatError naming `where` unless <cls>, <pad>,
    /// <eos>, <unk> and <mask> are there and every other token is one character or <...>.
    static ProteinAlphabet fromTokens(std::vector<std::string> tokens, const std::string& where);

    /// Number of tokens.
    int size() const { return static_cast<int>(tokens_.size()); }
    /// The tokens in index order.
    const std::vector<std::string>& tokens() const { return tokens_; }
    /// The id of a residue letter (upper-cased first), or unk() when the alphabet lacks it.
    int idOf(char residue) const;
    /// Ids of residues (no special tokens); counts the letters that became <unk> in *unknown.
    std::vector<int> encode(std::string_view residues, int* unknown = nullptr) const;

    int cls() const { return cls_; }   ///< <cls>: begins every row.
    int pad() const { return pad_; }   ///< <pad>: the positional embedding's padding index.
    int eos() const { return eos_; }   ///< <eos>: ends an ESM input.
    int unk() const { return unk_; }   ///< <unk>: letters the alphabet lacks.
    int mask() const { return mask_; } ///< <mask>: zeroed by ESM's token dropout.

private:
    std::vector<std::string> tokens_;
    int letter_[256];
    int cls_ = 0, pad_ = 0, eos_ = 0, unk_ = 0, mask_ = 0;
};

} // namespace attn
