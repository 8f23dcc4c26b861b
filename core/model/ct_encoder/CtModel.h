#pragma once
/// @file CtModel.h
/// The CT model family ("ct_encoder"): the study volume resampled to a fixed grid and
/// HU-windowed to [0, 1]; a 3D convolutional stem (stages of Conv3d, BatchNorm3d, ReLU,
/// each with its stride) and a 1x1x1 projection that turn it into a grid of d_model-wide
/// tokens (z, then y, then x order); a learned [CLS] token and learned positions; the
/// encoder layers of the core; a classifier on [CLS]. Tensor names are those of the PyTorch
/// reference module in tools/ct_model.py (docs/model-format.md).

#include "model/layers/EncoderLayer.h"
#include "model/ModelConfig.h"
#include "model/Weights.h"
#include "model/layers/EncoderStack.h"
#include "model/VolumeModel.h"
#include "util/MemoryPlan.h"
#include "model/TokenAxis.h"
#include "tensor/Conv3d.h"
#include "volume/VolumeGeometry.h"

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// One stem stage: Conv3d(kernel, stride, padding) to `channels`, BatchNorm3d, ReLU.
struct StemStage {
    int channels = 0;
    int kernel = 3;
    int stride = 1;
    int padding = 1;
};

/// A ct_encoder config.json.
struct CtConfig {
    std::array<int, 3> inputSize{0, 0, 0};  ///< Model input grid, x, y, z voxels.
    std::array<float, 2> huWindow{-1000, 1000}; ///< HU mapped to 0 and 1 (clamped).
    std::vector<StemStage> stem;            ///< The stem's stages.
    float batchNormEps = 1e-5f;             ///< BatchNorm3d epsilon.
    ModelConfig encoder;                    ///< d_model, heads, layers, ff, activation, norms, labels.

    /// Token grid size, x, y, z.
    std::array<int, 3> tokenGrid() const;
    /// Tokens ([CLS] included).
    int tokens() const;
    /// Receptive-field geometry of the tokens (the same on every axis).
    TokenGeometry tokenGeometry() const;
};

/// A loaded CT model: every tensor is bound (and its shape checked) once, at load; then it is
/// immutable and shared between runs, which own their results.
class CtModel : public VolumeModel {
public:
    CtModel(CtConfig config, std::shared_ptr<const Weights> weights);

    /// The model's input from a study: resampled to inputSize, HU-windowed to [0, 1], as a
    /// one-channel grid (and the geometry of that grid in patient space).
    Grid prepare(const Volume& study, VolumeGeometry* inputGeometry = nullptr) const;
    /// Runs on a prepared input grid; refused (ResourceError) before anything is allocated when
    /// planRun's total exceeds options.store.budgetBytes.
    RunResult run(const Grid& input, const RunOptions& options) const;
    /// Adds a run's memory to `plan`: the model input, the stem's largest stage, the encoder.
    void planRun(MemoryPlan& plan, const StorePlan& store) const;
    /// VolumeModel: the study resampled to inputSize and HU-windowed (prepare); no region.
    VolumeInput prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const override;
    VolumeRun runInput(const VolumeInput& input, const RegionRequest& request, const RunOptions& options) const override;
    void planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest& request, const VolumeGeometry& study) const override;
    /// [CLS], then the stem's grid, x fastest (z, then y, then x order), every axis with tokenGeometry().
    PatchLayout patchLayout() const override;
    std::vector<std::string> preprocessing() const override;
    /// The configuration.
    const CtConfig& config() const { return config_; }
    /// The encoder's architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_.encoder; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }

private:
    /// One stem stage's tensors.
    struct BoundStage {
        const Tensor* convWeight;
        const Tensor* convBias;
        const Tensor* gamma;
        const Tensor* beta;
        const Tensor* mean;
        const Tensor* var;
    };
    Matrix tokens(const Grid& input) const;

    CtConfig config_;
    std::shared_ptr<const Weights> weights_;
    std::vector<BoundStage> stem_;
    const Tensor* projWeight_;
    const Tensor* projBias_;
    const Tensor* clsToken_;
    const Tensor* posEmbed_;
    std::optional<NormWeights> finalNorm_;
    Eigen::Map<const Matrix> classifierW_;
    Eigen::Map<const Vector> classifierB_;
    std::vector<EncoderLayer> layers_;
};

/// Loads a ct_encoder directory (config.json + model.safetensors); another family is a FormatError.
std::shared_ptr<const CtModel> loadCtModel(const std::filesystem::path& directory);

} // namespace attn
