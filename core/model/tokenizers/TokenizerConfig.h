#pragma once
/// @file TokenizerConfig.h
/// How a model turns a sequence into tokens (config.json "tokenizer", or a BERT vocab.txt).

#include <string>
#include <utility>
#include <vector>

namespace attn {

/// A character, overlapping k-mer or greedy longest-match tokenizer with special tokens.
struct TokenizerConfig {
    /// "char" (one token per letter), "kmer" (overlapping k-mers, DNABERT), "greedy" (the longest
    /// vocabulary token that matches, left to right: the Nucleotide Transformer's 6-mers) or "bpe"
    /// (byte-pair merges of each whitespace-separated word: DNABERT-2's tokenizer.json).
    std::string type = "char";
    int k = 1;                       ///< k-mer length ("kmer"), longest token ("greedy"), 1 for "char".
    std::vector<std::string> vocab;  ///< Token strings; a token's id is its index.
    std::string cls = "[CLS]";       ///< Token prepended to every input.
    std::string sep;                 ///< Token appended to every input ("" for none).
    std::string pad = "[PAD]";       ///< Padding token.
    std::string unk = "[UNK]";       ///< Token for characters (k-mers) not in the vocabulary.
    bool uppercase = true;           ///< Upper-case the input before lookup.
    std::string replaceFrom;         ///< Letters replaced before lookup (ProtBert: "UZOB")...
    std::string replaceTo;           ///< ...by these ("XXXX").
    std::vector<std::pair<std::string, std::string>> merges; ///< "bpe": the merges, by rank.
};

} // namespace attn
