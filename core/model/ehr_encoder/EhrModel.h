#pragma once
/// @file EhrModel.h
/// The EHR model family ("ehr_encoder"): each event token is code_embed[code] + time_cve(t) +
/// m * value_cve(z), where a CVE is nn.Sequential(nn.Linear(1, k), nn.Tanh(), nn.Linear(k, d))
/// as in STraTS; [CLS] is its embedding alone. Then PyTorch's nn.TransformerEncoder layers
/// (encoder.layers.{i}.*), an optional encoder.norm and a classifier on [CLS]. Tensor names are
/// those of the PyTorch reference in tools/ehr_model.py (docs/model-format.md); tokens come from
/// EhrTokens.h.

#include "model/ehr_encoder/EhrTokens.h"
#include "model/layers/EncoderLayer.h"
#include "model/layers/EncoderStack.h"
#include "model/Model.h"
#include "util/MemoryPlan.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace attn {

/// A loaded EHR model: tensors bound once at load, then immutable and shared between runs.
class EhrModel : public Model {
public:
    EhrModel(EhrConfig config, std::shared_ptr<const Weights> weights);

    /// Runs on a patient's tokens; refused (ResourceError) before anything is allocated when the
    /// run's memory exceeds options.store.budgetBytes, and (ShapeError) beyond max_events.
    RunResult run(const EhrTokens& tokens, const RunOptions& options) const;
    /// Adds a run on `tokens` tokens to `plan`.
    void planRun(MemoryPlan& plan, const StorePlan& store, Index tokens) const;
    /// The configuration.
    const EhrConfig& config() const { return config_; }
    /// The encoder's architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_.encoder; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }

private:
    /// One continuous value embedding's tensors.
    struct Cve {
        Eigen::Map<const Vector> inW, inB;   ///< Linear(1, k): weight [k, 1] as a vector, bias [k].
        Eigen::Map<const Matrix> outW;       ///< Linear(k, d) weight [d, k].
        Eigen::Map<const Vector> outB;       ///< bias [d].
    };
    Cve bindCve(const std::string& prefix) const;
    /// The CVE of x[1..T-1] (the event tokens), [T - 1, d].
    Matrix cve(const Cve& c, const std::vector<float>& x) const;
    Matrix embed(const EhrTokens& tokens) const;

    EhrConfig config_;
    std::shared_ptr<const Weights> weights_;
    Eigen::Map<const Matrix> codeEmbed_;
    Cve timeCve_, valueCve_;
    std::vector<EncoderLayer> layers_;
    std::optional<NormWeights> finalNorm_;
    Eigen::Map<const Matrix> classifierW_;
    Eigen::Map<const Vector> classifierB_;
};

/// Loads an ehr_encoder directory (config.json + model.safetensors); another family is a FormatError.
std::shared_ptr<const EhrModel> loadEhrModel(const std::filesystem::path& directory);

} // namespace attn
