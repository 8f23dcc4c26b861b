#pragma once
/// @file EncoderModel.h
/// An encoder-only Transformer classifier: token embedding times embed_scale, plus a
/// positional encoding (then a LayerNorm for bert), N encoder layers, an optional final
/// LayerNorm, an optional pooler (bert: tanh(W h + b) on [CLS]), and a linear classifier on
/// the [CLS] (first) token's output. Families: "torch_encoder" and "bert" (BertFormat.h).

#include "model/Model.h"
#include "model/ModelConfig.h"
#include "model/RunResult.h"
#include "model/Weights.h"
#include "model/layers/EncoderLayer.h"
#include "model/tokenizers/Tokenizer.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace attn {

/// A loaded model: immutable, shareable between threads and runs.
class EncoderModel : public Model {
public:
    /// Binds and validates every tensor against the config; errors name the file and tensor.
    EncoderModel(ModelConfig config, std::shared_ptr<const Weights> weights);

    /// Runs the model on token ids ([CLS] first); keyPadding marks padded positions (may be empty).
    RunResult run(const std::vector<int>& ids, const std::vector<bool>& keyPadding, const RunOptions& options) const;

    /// The architecture.
    const ModelConfig& config() const { return config_; }
    /// The architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }
    /// The tokenizer of the config.
    const Tokenizer& tokenizer() const { return tokenizer_; }

private:
    Matrix embed(const std::vector<int>& ids) const;

    ModelConfig config_;
    std::shared_ptr<const Weights> weights_;
    Tokenizer tokenizer_;
    std::vector<EncoderLayer> layers_;
    Eigen::Map<const Matrix> tokenEmbedding_;
    std::optional<Eigen::Map<const Matrix>> positionEmbedding_;
    std::optional<NormWeights> finalNorm_;
    std::optional<NormWeights> embedNorm_;
    std::optional<Eigen::Map<const Matrix>> poolerW_;
    std::optional<Eigen::Map<const Vector>> poolerB_;
    Eigen::Map<const Matrix> classifierW_;
    Eigen::Map<const Vector> classifierB_;
};

/// Loads a sequence model directory (torch_encoder or bert; loadModelPath in
/// ModelFamily.h for any family). Errors name the file; another family is a FormatError.
std::shared_ptr<const EncoderModel> loadModel(const std::filesystem::path& directory);

} // namespace attn
