#pragma once
/// @file MonaiInput.h
/// How a study becomes a MONAI network's input, for both MONAI families: the bundle's
/// preprocessing (BundlePreprocessing.h) in MONAI's array axes, then either a region of img_size
/// that the user places (UNETR) or the whole preprocessed study resized to img_size (a classifier),
/// as a one-channel grid whose last axis is fastest (PyTorch's memory order of MONAI's arrays).

#include "model/VolumeModel.h"
#include "util/MemoryPlan.h"
#include "model/monai_bundle/BundlePreprocessing.h"
#include "model/monai_vit/VitConfig.h"

namespace attn {

/// A volume as a one-channel grid [1, n0, n1, n2] (the volume's x, y, z), z fastest.
Grid monaiGrid(const Volume& v);

/// Channel `c` of such a grid as a volume placed by `geometry` (of the grid's size).
Volume gridChannel(const Grid& g, int c, const VolumeGeometry& geometry);

/// A study as a MONAI network's input.
class MonaiInput {
public:
    /// `region`: the network sees a box of img_size the user places (UNETR); else the whole study
    /// resized to img_size (a classifier).
    MonaiInput(MonaiPreprocessing preprocessing, std::array<int, 3> imgSize, bool region);

    /// The study preprocessed, then the region around request.centre (a study voxel; the study's
    /// centre when none) or the whole study resized. FormatError for a network of more than one
    /// input channel (a study has one).
    VolumeInput prepare(const Volume& study, const RegionRequest& request, int inChannels, const Progress* progress) const;
    /// Adds the preprocessing's memory for a study of that size and spacing to `plan`: two volumes of
    /// the largest size a step gives (its input and output), and the region.
    void plan(MemoryPlan& plan, const VolumeGeometry& study) const;
    /// The most voxels a volume has on its way through the preprocessing (the study's own, or
    /// more after a finer Spacing or a larger Resize).
    double largestVoxels(const VolumeGeometry& study) const;
    /// Where the region around a study voxel would be (a region model), from the study's geometry
    /// alone: the steps that move voxels followed, the foreground crop (which depends on the values)
    /// left out. For drawing the box before a run.
    std::optional<VolumeGeometry> regionAround(const VolumeGeometry& study, const std::array<int, 3>& centre) const;
    /// What is done and not done, one line each.
    std::vector<std::string> describe() const;
    const MonaiPreprocessing& preprocessing() const { return preprocessing_; }

private:
    MonaiPreprocessing preprocessing_;
    std::array<int, 3> imgSize_;
    bool region_;
};

/// The patch layout of a MONAI ViT (its tokens in MONAI's order: [CLS] first if any, z fastest).
PatchLayout vitPatchLayout(const VitConfig& config);

} // namespace attn
