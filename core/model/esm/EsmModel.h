#pragma once
/// @file EsmModel.h
/// The `esm` family: Hugging Face's EsmForMaskedLM directory unchanged (config.json with
/// model_type "esm", or the Nucleotide Transformer's auto_map to its own modeling_esm; vocab.txt;
/// the weights). <cls> + tokens (+ <eos>); token dropout's rescaling; absolute positions and a
/// LayerNorm (ESM-1b, Nucleotide Transformer v1) or rotary positions with the file's inv_freq
/// (ESM-2, Nucleotide Transformer v2); pre-LN layers with exact GELU, or the gated SiLU
/// feed-forward without biases of the Nucleotide Transformer v2 (use_glu_in_ffn, add_bias_fnn);
/// emb_layer_norm_after; the LM head tied to the word embeddings or stored. Its vocabulary decides
/// what it reads: residue letters (ESM: the contact head over every layer's attention, or the mean
/// of the heads when the file has none) or DNA 6-mers (the Nucleotide Transformer, tokenised by
/// greedy longest match).

#include "model/SequenceModel.h"
#include "model/layers/EncoderLayer.h"
#include "model/layers/LmHead.h"
#include "util/MemoryPlan.h"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace attn {

/// What ESM's config.json adds to the encoder's architecture.
struct EsmOptions {
    bool tokenDropout = true;   ///< Rescale embeddings by (1 - 0.15 * 0.8) / (1 - masked fraction).
    bool absolute = false;      ///< Learned absolute positions (ESM-1b) instead of rotary (ESM-2).
    bool embedNorm = false;     ///< A LayerNorm after the embeddings (ESM-1b).
};

/// A loaded ESM model: immutable, shared between runs.
class EsmModel : public SequenceModel {
public:
    /// `config.tokenizer` holds the vocabulary and its specials (<cls>, <pad>, <unk>, <mask>; <eos>
    /// as sep when inputs end with it); the tensors are in the encoder's names (see EsmModel.cpp);
    /// errors name the file.
    EsmModel(ModelConfig config, EsmOptions options, std::shared_ptr<const Weights> weights);

    /// The ids of residues ('-' and '.' dropped: gaps are no residues) with the specials; unknown
    /// letters become <unk>, counted in *unknown.
    std::vector<int> tokenize(std::string_view residues, int* unknown = nullptr) const;
    /// Adds a run on `length` tokens to `plan`.
    void planRun(MemoryPlan& plan, Index length, const StorePlan& store) const;

    /// The family's options.
    const EsmOptions& options() const { return options_; }
    /// The id of <mask> (zeroed by token dropout).
    int maskId() const { return maskId_; }
    /// The architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }

    Letters letters() const override { return letters_; }
    const Tokenizer& tokenizer() const override { return tokenizer_; }
    /// Runs on ids (<cls> first); refused before anything is allocated when planRun's total
    /// exceeds the budget. Logits [T, vocab]; contacts for a protein model.
    SequenceRun run(const std::vector<int>& ids, const RunOptions& options) const override;
    bool maskedLm() const override { return true; }

private:
    Matrix embed(const std::vector<int>& ids) const;

    ModelConfig config_;
    EsmOptions options_;
    std::shared_ptr<const Weights> weights_;
    Tokenizer tokenizer_;
    Letters letters_;
    int maskId_ = 0, padId_ = 0;
    Eigen::Map<const Matrix> wordEmbedding_;
    std::optional<Eigen::Map<const Matrix>> positionEmbedding_;
    std::optional<NormWeights> embedNorm_;
    NormWeights finalNorm_;
    LmHead lmHead_;
    std::optional<std::pair<Vector, float>> contactRegression_; ///< The contact head's weight and bias, when the file has one.
    std::vector<EncoderLayer> layers_;
};

} // namespace attn
