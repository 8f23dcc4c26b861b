#pragma once
/// @file Tokenizer.h
/// Sequence -> tokens: [CLS], then one token per base ("char"), one per overlapping k-mer
/// ("kmer", DNABERT-style: bases i..i+k-1 for i = 0 .. n-k), or the longest vocabulary token
/// that matches, left to right ("greedy", as Hugging Face's EsmTokenizer splits the Nucleotide
/// Transformer's input: 6-mers, single letters where a 6-mer does not fit, and the 6-mer frame
/// starting again after them), or byte-pair merges ("bpe", Bpe.h: DNABERT-2), then [SEP] if the
/// model has one. Each token records which bases it covers, so that attention on tokens
/// can be shown per base (interpret/KmerSpread.h).

#include "model/tokenizers/Bpe.h"
#include "model/tokenizers/Encoding.h"
#include "model/tokenizers/TokenizerConfig.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace attn {

/// The tokenizer of a model's config.
class Tokenizer {
public:
    /// Builds the lookup (vocab ids are indices); special tokens must be in the vocab.
    explicit Tokenizer(TokenizerConfig config);
    /// Tokenises a sequence (upper-cased first if configured).
    Encoding encode(const std::string& sequence) const;
    /// Most bases an input of at most maxTokens tokens can hold ("greedy": when every token is a
    /// longest one).
    int maxBases(int maxTokens) const;
    /// Tokens (specials included) for a sequence of n bases ("greedy": the fewest it can give).
    int tokenCount(int bases) const;
    /// The vocab string of an id.
    const std::string& token(int id) const { return config_.vocab.at(static_cast<std::size_t>(id)); }
    /// Vocabulary size.
    int vocabSize() const { return static_cast<int>(config_.vocab.size()); }
    /// The configuration.
    const TokenizerConfig& config() const { return config_; }

private:
    void push(Encoding& e, int id, TokenSpan span) const;
    /// True when tokens vary in length and k is the longest ("greedy", "bpe"), not every token's.
    bool longestTokens() const { return config_.type == "greedy" || config_.type == "bpe"; }
    void encodeKmers(Encoding& e, const std::string& s) const;
    void encodeGreedy(Encoding& e, const std::string& s) const;
    void encodeBpe(Encoding& e, const std::string& s) const;

    TokenizerConfig config_;
    std::unordered_map<std::string, int> ids_;
    int clsId_ = 0;
    int sepId_ = -1;
    int unkId_ = 0;
    BpeMerges merges_;
};

} // namespace attn
