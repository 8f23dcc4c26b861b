#pragma once
/// @file TokenizerConfig.h
/// The "tokenizer" section of a model's config.json.

#include <string>
#include <vector>

namespace attn {

/// A character tokenizer: one token per character, with special tokens.
struct TokenizerConfig {
    std::string type = "char";       ///< Tokenizer kind; "char" for now.
    std::vector<std::string> vocab;  ///< Token strings; a token's id is its index.
    std::string cls = "[CLS]";       ///< Token prepended to every input.
    std::string pad = "[PAD]";       ///< Padding token.
    std::string unk = "[UNK]";       ///< Token for characters not in the vocabulary.
    bool uppercase = true;           ///< Upper-case the input before lookup.
};

} // namespace attn
