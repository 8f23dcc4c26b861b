#pragma once
/// @file EncoderModel.h
/// An encoder-only Transformer classifier: token embedding times embed_scale, plus a
/// positional encoding (then a LayerNorm for bert), N encoder layers, an optional final
/// LayerNorm, an optional pooler (bert: tanh(W h + b) on [CLS]), and a linear classifier on
/// the [CLS] (first) token's output. Families: "torch_encoder" and "bert" (BertFormat.h).

#include "attention/AttentionStore.h"
#include "model/Tokenizer.h"
#include "model/EncoderLayer.h"
#include "model/Model.h"
#include "model/ModelConfig.h"
#include "model/Weights.h"
#include "util/Progress.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace attn {

/// How a run is done and what it keeps.
struct RunOptions {
    StorePlan store;             ///< What attention to keep and its budget.
    Progress* progress = nullptr; ///< Progress and cancellation, or null.
};

/// Everything a run produces; owned by the caller, independent of other runs.
struct RunResult {
    std::vector<int> ids;          ///< Input token ids.
    std::vector<bool> keyPadding;  ///< Padding flags of the input.
    Matrix hidden;                 ///< Final encoder output [L, d].
    Vector logits;                 ///< Classifier output [num_labels].
    AttentionStore attention;      ///< Softmax weights per layer and head.
};

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

/// The run of the families that embed their own way (ct_encoder, ehr_encoder) on embeddings x [T, d]:
/// every layer (attention into a new store, no mask), the final norm if any, the classifier on [CLS].
/// Layer l is progress step `firstStep` + l of `firstStep` + layers.
RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep);

/// Loads a sequence model directory (torch_encoder or bert; loadModelPath in
/// ModelFamily.h for any family). Errors name the file; another family is a FormatError.
std::shared_ptr<const EncoderModel> loadModel(const std::filesystem::path& directory);

} // namespace attn
