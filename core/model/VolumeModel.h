#pragma once
/// @file VolumeModel.h
/// The interface of every model over a CT or MR study, whatever its family (ct_encoder, MONAI's
/// ViT and UNETR), through which the CT kind runs them: how a study becomes the network's input
/// (a grid placed in patient space), the run, and where each token sits on that grid.

#include "model/Model.h"
#include "model/RunResult.h"
#include "model/TokenAxis.h"
#include "tensor/Conv3d.h"
#include "util/MemoryPlan.h"
#include "volume/VolumeGeometry.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// Where the tokens sit along one axis of the input grid: token t's receptive field is centred on
/// input index t * stride + offset and is `extent` voxels wide.
struct TokenGeometry {
    int stride = 1;
    double offset = 0.0;
    int extent = 1;
};

/// Where a model's image tokens sit on its input grid.
struct PatchLayout {
    std::array<int, 3> grid{0, 0, 0};  ///< Tokens along the input geometry's axes (x, y, z index order).
    std::array<TokenGeometry, 3> axes; ///< Their receptive fields along each axis.
    bool firstAxisFastest = true;      ///< Token order: x fastest (ct_encoder), or z fastest (MONAI's flatten).
    int firstImageToken = 1;           ///< 1 after a [CLS] token, 0 for a model without one.

    /// Image tokens.
    int tokens() const { return grid[0] * grid[1] * grid[2]; }
    /// The image token (counted from 0, [CLS] not included) at grid index (x, y, z).
    int imageToken(int x, int y, int z) const
    {
        return firstAxisFastest ? (z * grid[1] + y) * grid[0] + x : (x * grid[1] + y) * grid[2] + z;
    }
};

/// What the user asks of a model that sees a region of a study.
struct RegionRequest {
    std::optional<std::array<int, 3>> centre; ///< The study voxel (I, J, K) the region is centred on; the study's centre if none.
    bool slidingWindow = false;               ///< Also segment the whole study by sliding windows (segmenting models).
};

/// A study as a model's input.
struct VolumeInput {
    Grid grid;                       ///< What the network takes.
    VolumeGeometry geometry;         ///< The grid in patient space, its index axes those of PatchLayout.
    std::vector<std::string> steps;  ///< What was done to the study, in order (the load report).
    std::shared_ptr<const Volume> preprocessed; ///< The whole study as preprocessed (sliding windows), or null.
};

/// Labels per voxel and their names.
struct Segmentation {
    Volume labels;                  ///< Label index per voxel (0 .. names - 1), on its own grid in patient space.
    std::vector<std::string> names; ///< One per label.
};

/// A run on a study.
struct VolumeRun {
    RunResult result;                          ///< Attention, hidden states, a classifier's logits.
    std::optional<Segmentation> segmentation;  ///< A segmenting model's labels (on the region, or the whole study).
};

/// A model over a study.
class VolumeModel : public Model {
public:
    /// The input for a study: resampled, reoriented, cropped as the model says; `request` places a
    /// region for a model that sees part of the study. Throws Cancelled when `progress` asks.
    virtual VolumeInput prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const = 0;
    /// Runs the model on a prepared input; refused (ResourceError) before anything is allocated when
    /// the run does not fit options.store.budgetBytes.
    virtual VolumeRun runInput(const VolumeInput& input, const RegionRequest& request, const RunOptions& options) const = 0;
    /// Adds a run's memory (its input included) to `plan`, for a study of that size and spacing
    /// (from its headers: only `size` and `spacing` are read).
    virtual void planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest& request, const VolumeGeometry& study) const = 0;
    /// Where the tokens sit on the input grid.
    virtual PatchLayout patchLayout() const = 0;
    /// What the model does to a study before the network sees it, one line per step, and what
    /// its configuration names that is not done (`info`, the load report).
    virtual std::vector<std::string> preprocessing() const = 0;
    /// True for a model whose input is a region of the study the user places.
    virtual bool seesRegion() const { return false; }
    /// Where its region around a study voxel would be, from the study's geometry alone (for drawing
    /// it before a run); nullopt for a model that sees the whole study.
    virtual std::optional<VolumeGeometry> regionAround(const VolumeGeometry&, const std::array<int, 3>&) const { return std::nullopt; }
    /// True for a model that segments (its runs give labels).
    virtual bool segments() const { return false; }
};

/// The tokens of a run: [CLS] (if any), then the image tokens in the model's order, labelled by
/// their grid index ("z1 y2 x3": slowest axis first) and placed at their receptive fields' centres
/// in patient space (mm); tokens.tsv gains the grid index and the centre (x_mm, y_mm, z_mm).
TokenAxis volumeTokenAxis(const PatchLayout& layout, const VolumeGeometry& inputGeometry);

/// The token (counting [CLS] when there is one) whose receptive field's centre is nearest the
/// (fractional) input index u (the later one on a tie), or nothing when u is outside the input grid
/// of that size: each input voxel belongs to one token (what a reference mask marks for enrichment,
/// what faithfulness replaces).
std::optional<int> nearestToken(const PatchLayout& layout, const std::array<int, 3>& inputSize, const Eigen::Vector3d& u);

/// Where input voxel (x, y, z), in the input geometry's index order, is in a model's input grid's
/// channel: x fastest when the layout's first axis is, else z fastest (MONAI's channel-first order).
std::size_t inputGridOffset(const PatchLayout& layout, const std::array<int, 3>& size, int x, int y, int z);

} // namespace attn
