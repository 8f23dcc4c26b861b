#pragma once
/// @file CharTokenizer.h
/// One token per character, with a [CLS] token first.

#include "model/TokenizerConfig.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace attn {

/// A tokenised input: ids, their strings, and how many characters were unknown.
struct Encoding {
    std::vector<int> ids;             ///< Token ids, [CLS] first.
    std::vector<std::string> tokens;  ///< The vocab string of each id.
    int unknownCount = 0;             ///< Characters mapped to the unknown token.
};

/// Character tokenizer of a model's config.
class CharTokenizer {
public:
    /// Builds the lookup from a tokenizer config (vocab ids are indices).
    explicit CharTokenizer(TokenizerConfig config);
    /// Tokenises a sequence: [CLS], then one token per character (upper-cased if configured).
    Encoding encode(const std::string& sequence) const;
    /// The vocab string of an id.
    const std::string& token(int id) const { return config_.vocab.at(static_cast<std::size_t>(id)); }
    /// Id of the padding token.
    int padId() const { return padId_; }
    /// Id of the [CLS] token.
    int clsId() const { return clsId_; }
    /// Vocabulary size.
    int vocabSize() const { return static_cast<int>(config_.vocab.size()); }

private:
    TokenizerConfig config_;
    std::unordered_map<std::string, int> ids_;
    int clsId_ = 0;
    int padId_ = 0;
    int unkId_ = 0;
};

} // namespace attn
