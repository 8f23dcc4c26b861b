#pragma once
/// @file TokenizerConfig.h
/// How a model turns a sequence into tokens (config.json "tokenizer", or a BERT vocab.txt).

#include <string>
#include <vector>

namespace attn {

/// A character or overlapping k-mer tokenizer with special tokens.
struct TokenizerConfig {
    std::string type = "char";       ///< "char" (one token per base) or "kmer" (overlapping k-mers).
    int k = 1;                       ///< k-mer length ("kmer"; 1 for "char").
    std::vector<std::string> vocab;  ///< Token strings; a token's id is its index.
    std::string cls = "[CLS]";       ///< Token prepended to every input.
    std::string sep;                 ///< Token appended to every input ("" for none).
    std::string pad = "[PAD]";       ///< Padding token.
    std::string unk = "[UNK]";       ///< Token for characters (k-mers) not in the vocabulary.
    bool uppercase = true;           ///< Upper-case the input before lookup.
};

} // namespace attn
