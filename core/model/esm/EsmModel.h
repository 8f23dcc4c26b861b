#pragma once
/// @file EsmModel.h
/// ESM-2 and ESM-1b (family "esm", Hugging Face's EsmForMaskedLM directory unchanged:
/// config.json with model_type "esm", vocab.txt, model.safetensors). <cls> + residues + <eos>;
/// token dropout's rescaling; absolute positions and a LayerNorm (ESM-1b) or rotary positions
/// with the file's inv_freq (ESM-2); pre-LN layers with exact GELU; emb_layer_norm_after; the
/// LM head tied to the word embeddings; the contact head over every layer's attention.

#include "model/layers/EncoderLayer.h"
#include "model/Model.h"
#include "model/tokenizers/ProteinAlphabet.h"
#include "model/ProteinRun.h"
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
class EsmModel : public Model {
public:
    /// `tensors` are already in the encoder's names (see EsmModel.cpp); errors name the file.
    EsmModel(ModelConfig config, EsmOptions options, ProteinAlphabet alphabet, std::shared_ptr<const Weights> weights);

    /// <cls>, the residues ('-' and '.' dropped: gaps are no residues), <eos>; unknown letters
    /// become <unk>, counted in *unknown.
    std::vector<int> tokenize(std::string_view residues, int* unknown = nullptr) const;
    /// Runs on ids (<cls> first, <eos> last); refused before anything is allocated when planRun's
    /// total exceeds the budget.
    ProteinRun run(const std::vector<int>& ids, const RunOptions& options) const;
    /// Adds a run on `length` tokens to `plan`.
    void planRun(MemoryPlan& plan, Index length, const StorePlan& store) const;

    /// The token alphabet (vocab.txt).
    const ProteinAlphabet& alphabet() const { return alphabet_; }
    /// The family's options.
    const EsmOptions& options() const { return options_; }
    /// The architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }

private:
    Matrix embed(const std::vector<int>& ids) const;
    Matrix logits(Matrix x) const;

    ModelConfig config_;
    EsmOptions options_;
    ProteinAlphabet alphabet_;
    std::shared_ptr<const Weights> weights_;
    Eigen::Map<const Matrix> wordEmbedding_;
    std::optional<Eigen::Map<const Matrix>> positionEmbedding_;
    std::optional<NormWeights> embedNorm_;
    NormWeights finalNorm_, lmNorm_;
    Eigen::Map<const Matrix> lmDenseW_, decoder_;
    Eigen::Map<const Vector> lmDenseB_, lmBias_;
    Vector contactWeight_;
    float contactBias_;
    std::vector<EncoderLayer> layers_;
};

} // namespace attn
