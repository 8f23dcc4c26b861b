#pragma once
/// @file EncoderModel.h
/// An encoder-only Transformer: token embedding times embed_scale, plus a positional encoding
/// (then a LayerNorm for bert), N encoder layers, an optional final LayerNorm, then either a
/// classifier on the [CLS] (first) token's output (after bert's pooler, tanh(W h + b)) or a
/// masked-LM head over every token (BertForMaskedLM: ProtBert). Families: "torch_encoder" and
/// "bert" (BertFormat.h). A protein model (its vocabulary is amino acids) also gives contacts: the
/// mean of its heads' symmetrised, APC-corrected maps, for it has no contact head.

#include "model/ModelConfig.h"
#include "model/SequenceModel.h"
#include "model/Weights.h"
#include "model/layers/EncoderLayer.h"
#include "model/layers/LmHead.h"
#include "model/tokenizers/Tokenizer.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace attn {

class RunContacts;

/// A loaded model: immutable, shareable between threads and runs.
class EncoderModel : public SequenceModel {
public:
    /// Binds and validates every tensor against the config; errors name the file and tensor.
    EncoderModel(ModelConfig config, std::shared_ptr<const Weights> weights);

    /// Runs the model on token ids ([CLS] first); keyPadding marks padded positions (may be empty).
    /// logits: the classifier's (empty for a masked LM); hidden: the final encoder output.
    RunResult run(const std::vector<int>& ids, const std::vector<bool>& keyPadding, const RunOptions& options) const;

    /// The architecture.
    const ModelConfig& config() const { return config_; }
    /// The architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }
    /// The tokenizer of the config.
    const Tokenizer& tokenizer() const override { return tokenizer_; }
    Letters letters() const override { return letters_; }
    /// The run, a masked LM's logits [T, vocab] and, for a protein model, the mean-of-heads contacts.
    SequenceRun run(const std::vector<int>& ids, const RunOptions& options) const override;
    bool maskedLm() const override { return config_.maskedLm; }

private:
    Matrix embed(const std::vector<int>& ids) const;
    RunResult forward(const std::vector<int>& ids, const std::vector<bool>& keyPadding, const RunOptions& options,
                      std::optional<RunContacts>* contacts) const;

    ModelConfig config_;
    std::shared_ptr<const Weights> weights_;
    Tokenizer tokenizer_;
    Letters letters_;
    std::vector<EncoderLayer> layers_;
    Eigen::Map<const Matrix> tokenEmbedding_;
    std::optional<Eigen::Map<const Matrix>> positionEmbedding_;
    std::optional<NormWeights> finalNorm_;
    std::optional<NormWeights> embedNorm_;
    std::optional<Eigen::Map<const Matrix>> poolerW_;
    std::optional<Eigen::Map<const Vector>> poolerB_;
    std::optional<Eigen::Map<const Matrix>> classifierW_;
    std::optional<Eigen::Map<const Vector>> classifierB_;
    std::optional<LmHead> lmHead_;
};

/// Loads a sequence model directory (torch_encoder or bert; loadModelPath in
/// ModelFamily.h for any family). Errors name the file; another family is a FormatError.
std::shared_ptr<const EncoderModel> loadModel(const std::filesystem::path& directory);

} // namespace attn
