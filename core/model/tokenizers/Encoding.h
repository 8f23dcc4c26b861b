#pragma once
/// @file Encoding.h
/// What a tokenizer gives for one sequence: ids, their strings, and the letters each covers.

#include <string>
#include <vector>

namespace attn {

/// The bases [begin, end) of the input a token covers; begin = end = -1 for special tokens.
struct TokenSpan {
    int begin = -1;
    int end = -1;
};

/// A tokenised input: ids, their strings, the bases each covers, and how many were unknown.
struct Encoding {
    std::vector<int> ids;             ///< Token ids, [CLS] first.
    std::vector<std::string> tokens;  ///< The vocab string of each id.
    std::vector<TokenSpan> spans;     ///< Bases each token covers.
    int unknownCount = 0;             ///< Characters (char) or k-mers (kmer) mapped to the unknown token.
};

} // namespace attn
