#pragma once
/// @file Unetr.h
/// The `monai_unetr` family: MONAI's UNETR (monai/networks/nets/unetr.py) as a bundle's
/// network_def describes it: a ViT encoder (16^3 patches, 12 layers, no [CLS]) whose outputs after
/// layers 3, 6 and 9 (counted from 0) and final, normed output feed a convolutional decoder that
/// segments the region into out_channels labels.

#include "model/VolumeModel.h"
#include "model/monai_bundle/MonaiInput.h"
#include "model/monai_unetr/UnetrBlocks.h"
#include "model/monai_vit/VitEncoder.h"
#include "util/MemoryPlan.h"

#include <memory>

namespace attn {

/// UNETR's arguments beyond its ViT's.
struct UnetrConfig {
    VitConfig vit;         ///< The encoder (its labels are the segmentation's classes).
    int outChannels = 0;   ///< Segmentation classes.
    int featureSize = 16;  ///< The decoder's base width.
    bool convBlock = true; ///< UnetrPrUpBlock's conv blocks.
    bool resBlock = true;  ///< Residual (UnetResBlock) or plain (UnetBasicBlock) conv blocks.
};

/// The argmax label of every position of a logits grid (the first of equal maxima, as torch.argmax),
/// as a volume placed by `geometry`.
Volume argmaxLabels(const Grid& logits, const VolumeGeometry& geometry);

/// A UNETR run: the encoder's attention and the segmentation logits of the region.
struct UnetrRun {
    RunResult encoder;  ///< Attention [heads, T, T] per layer, hidden states; no logits.
    Grid segmentation;  ///< [out_channels, n1, n2, n3] logits on the region's grid.
};

/// A loaded UNETR; immutable, shared between runs.
class Unetr : public VolumeModel {
public:
    Unetr(UnetrConfig config, MonaiPreprocessing preprocessing, std::shared_ptr<const Weights> weights);

    /// Runs a region (a channel-first grid of img_size in MONAI's axes). Refused (ResourceError)
    /// before anything is allocated when the run does not fit options.store.budgetBytes.
    UnetrRun run(const Grid& region, const RunOptions& options) const;
    /// Adds a run's memory to `plan`.
    void planRun(MemoryPlan& plan, const StorePlan& store) const;
    const UnetrConfig& config() const { return config_; }
    /// VolumeModel: the bundle's preprocessing, then a region of img_size around request.centre.
    VolumeInput prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const override;
    /// The region's attention and labels; with request.slidingWindow, the labels of the whole
    /// preprocessed study by MONAI's sliding windows (the bundle's inferer settings) instead.
    VolumeRun runInput(const VolumeInput& input, const RegionRequest& request, const RunOptions& options) const override;
    void planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest& request, const VolumeGeometry& study) const override;
    PatchLayout patchLayout() const override { return vitPatchLayout(config_.vit); }
    std::vector<std::string> preprocessing() const override { return input_.describe(); }
    bool seesRegion() const override { return true; }
    std::optional<VolumeGeometry> regionAround(const VolumeGeometry& study, const std::array<int, 3>& centre) const override
    {
        return input_.regionAround(study, centre);
    }
    bool segments() const override { return true; }
    const ModelConfig& encoderConfig() const override { return config_.vit.encoder; }
    const Weights& weights() const override { return *weights_; }

private:
    /// The decoder's logits from the region, the taps and the encoder's final output.
    Grid decode(const Grid& region, const LayerTaps& taps, const Matrix& last) const;
    /// A [T, d] stream as a [d, g1, g2, g3] grid (UNETR's proj_feat).
    Grid featureGrid(const Matrix& x) const;

    UnetrConfig config_;
    std::shared_ptr<const Weights> weights_;
    MonaiInput input_;
    VitEncoder encoder_;
    ConvBlock encoder1_;
    PrUpBlock encoder2_, encoder3_, encoder4_;
    UpBlock decoder5_, decoder4_, decoder3_, decoder2_;
    const Tensor* outWeight_;
    const Tensor* outBias_;
};

} // namespace attn
