#pragma once
/// @file MonaiVit.h
/// The `monai_vit` family: MONAI's ViT (monai/networks/nets/vit.py) with classification, as a
/// bundle's network_def describes it and its models/model.pt holds it: VitEncoder, then the
/// classification head on [CLS] (Linear, then Tanh unless post_activation says otherwise).

#include "model/VolumeModel.h"
#include "model/monai_bundle/MonaiInput.h"
#include "model/monai_vit/VitEncoder.h"
#include "util/MemoryPlan.h"

#include <memory>

namespace attn {

/// A loaded ViT classifier; immutable, shared between runs.
class MonaiVit : public VolumeModel {
public:
    MonaiVit(VitConfig config, MonaiPreprocessing preprocessing, std::shared_ptr<const Weights> weights);

    /// Runs a region (the model's input: a channel-first grid of img_size in MONAI's axes):
    /// attention [heads, T, T] per layer in MONAI's token order, logits [classes] as MONAI's
    /// network returns them. Refused (ResourceError) before anything is allocated when the run
    /// does not fit options.store.budgetBytes.
    RunResult run(const Grid& region, const RunOptions& options) const;
    /// Adds a run's memory to `plan`.
    void planRun(MemoryPlan& plan, const StorePlan& store) const;
    const VitConfig& config() const { return config_; }
    /// VolumeModel: the bundle's preprocessing, then the whole study resized to img_size.
    VolumeInput prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const override;
    VolumeRun runInput(const VolumeInput& input, const RegionRequest& request, const RunOptions& options) const override;
    void planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest& request, const VolumeGeometry& study) const override;
    PatchLayout patchLayout() const override { return vitPatchLayout(config_); }
    std::vector<std::string> preprocessing() const override { return input_.describe(); }
    const ModelConfig& encoderConfig() const override { return config_.encoder; }
    const Weights& weights() const override { return *weights_; }

private:
    VitConfig config_;
    std::shared_ptr<const Weights> weights_;
    MonaiInput input_;
    VitEncoder encoder_;
    Eigen::Map<const Matrix> headW_;
    Eigen::Map<const Vector> headB_;
};

} // namespace attn
