#pragma once
/// @file SequenceModel.h
/// A model over one sequence of letters, DNA bases or amino acids, whatever its family. Its
/// vocabulary decides what it reads: the DNA kind runs the DNA models, the protein kind the
/// protein ones. Families: torch_encoder and bert (DNABERT, ProtBert) through EncoderModel; esm
/// (ESM-1b, ESM-2, the Nucleotide Transformer) through EsmModel.

#include "model/Model.h"
#include "model/RunResult.h"
#include "model/SequenceRun.h"
#include "model/tokenizers/Tokenizer.h"

#include <string>
#include <vector>

namespace attn {

/// What a sequence model's letters are.
enum class Letters { Dna, Protein };

/// "DNA" or "protein".
std::string lettersName(Letters letters);

/// DNA when every token of a vocabulary that is not special ([X], <x>) is made of A, C, G, T and N
/// (either case); protein otherwise.
Letters lettersOfVocabulary(const std::vector<std::string>& tokens);

/// A loaded sequence model: immutable, shared between runs.
class SequenceModel : public Model {
public:
    /// DNA or protein, from the vocabulary (lettersOfVocabulary, computed once at load).
    virtual Letters letters() const = 0;
    /// The tokenizer of its vocabulary.
    virtual const Tokenizer& tokenizer() const = 0;
    /// Runs on encoded ids; ShapeError when they do not fit the model.
    virtual SequenceRun run(const std::vector<int>& ids, const RunOptions& options) const = 0;
    /// True for a masked LM (logits [T, vocab]); false for a classifier (class logits, labels).
    virtual bool maskedLm() const = 0;

    /// Tokenises one sequence (gaps are the caller's to drop): ids with the special tokens, each
    /// token's string and the letters it covers, and how many letters or k-mers were unknown.
    Encoding encode(const std::string& sequence) const { return tokenizer().encode(sequence); }
    /// Most tokens one input may hold, special tokens included.
    int maxTokens() const { return encoderConfig().maxLen; }
    /// Most letters an input may hold (when every token is as long as the tokenizer makes them).
    int maxLetters() const { return tokenizer().maxBases(maxTokens()); }
    /// The vocabulary, by id.
    const std::vector<std::string>& vocabulary() const { return tokenizer().config().vocab; }
    /// The token that unknown letters (or k-mers) become.
    const std::string& unknownToken() const { return tokenizer().config().unk; }
    /// Of an input of `tokens` tokens, those between the special ones (<cls> first, <eos> or [SEP]
    /// last when the tokenizer adds one): the residues of a protein input.
    Index innerTokens(Index tokens) const { return tokens - 1 - (tokenizer().config().sep.empty() ? 0 : 1); }
};

} // namespace attn
