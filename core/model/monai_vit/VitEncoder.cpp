#include "model/monai_vit/VitEncoder.h"

#include "attention/AttentionMask.h"
#include "tensor/Ops.h"
#include "util/Error.h"
#include "util/Progress.h"

namespace attn {

VitEncoder::VitEncoder(const Weights& w, const VitConfig& c)
    : config_(c),
      patchW_(w.get("patch.weight", {c.encoder.dModel, static_cast<std::int64_t>(c.inChannels) * c.patchSize[0] * c.patchSize[1] * c.patchSize[2]})
                  .matrix()),
      patchB_(w.get("patch.bias", {c.encoder.dModel}).vector()), norm_(readNorm(w, "norm", c.encoder.dModel))
{
    if (w.has("positions"))
        positions_.emplace(w.get("positions", {c.patches(), c.encoder.dModel}).matrix());
    if (c.classification)
        cls_.emplace(w.get("cls_token", {1, c.encoder.dModel}).matrix());
    for (int l = 0; l < c.encoder.nLayers; ++l)
        layers_.emplace_back(w, "encoder.layers." + std::to_string(l) + ".", c.encoder);
}

Matrix VitEncoder::patchRows(const Grid& region) const
{
    const auto& p = config_.patchSize;
    const auto g = config_.patchGrid();
    const int channels = config_.inChannels;
    const bool conv = config_.projection == PatchProjection::Conv; // columns (c, a1, a2, a3); perceptron: (a1, a2, a3, c)
    Matrix rows(config_.patches(), patchW_.cols());
#pragma omp parallel for
    for (Index t = 0; t < rows.rows(); ++t) {
        const int i1 = static_cast<int>(t / (g[1] * g[2])), i2 = static_cast<int>(t / g[2] % g[1]), i3 = static_cast<int>(t % g[2]);
        for (int c = 0; c < channels; ++c)
            for (int a1 = 0; a1 < p[0]; ++a1)
                for (int a2 = 0; a2 < p[1]; ++a2)
                    for (int a3 = 0; a3 < p[2]; ++a3) {
                        const Index inPatch = (static_cast<Index>(a1) * p[1] + a2) * p[2] + a3;
                        const Index col = conv ? c * static_cast<Index>(p[0]) * p[1] * p[2] + inPatch : inPatch * channels + c;
                        const std::size_t voxel = ((static_cast<std::size_t>(c) * region.size[0] + static_cast<std::size_t>(i1 * p[0] + a1))
                                                       * region.size[1]
                                                   + static_cast<std::size_t>(i2 * p[1] + a2))
                                * region.size[2]
                            + static_cast<std::size_t>(i3 * p[2] + a3);
                        rows(t, col) = region.data[voxel];
                    }
    }
    return rows;
}

Matrix VitEncoder::embed(const Grid& region) const
{
    check<ShapeError>(region.channels == config_.inChannels && region.size == config_.imgSize,
                      "the ViT takes a " + std::to_string(config_.inChannels) + "-channel " + std::to_string(config_.imgSize[0]) + " x "
                          + std::to_string(config_.imgSize[1]) + " x " + std::to_string(config_.imgSize[2]) + " region");
    const Index d = config_.encoder.dModel;
    Matrix x(config_.tokens(), d);
    x.bottomRows(config_.patches()).noalias() = patchRows(region) * patchW_.transpose();
    x.bottomRows(config_.patches()).rowwise() += patchB_.transpose();
    if (positions_)
        x.bottomRows(config_.patches()) += *positions_;
    if (cls_)
        x.row(0) = cls_->row(0);
    return x;
}

RunResult VitEncoder::encode(const Grid& region, const RunOptions& options, LayerTaps* taps, int firstStep, int steps,
                             bool readsFirstTokenOnly) const
{
    RunResult r{{}, {}, {}, {}, AttentionStore(config_.encoder.nLayers, config_.encoder.nHeads, config_.tokens(), options.store)};
    const AttentionMask mask{{}, false, {}};
    LayerRun run{r.attention, options, nullptr, firstStep, steps, taps};
    run.readsFirstTokenOnly = readsFirstTokenOnly;
    Matrix x = resumesFromCache(run) ? Matrix() : embed(region);
    runLayers(layers_, x, mask, run);
    layerNormRows(x, norm_.gamma, norm_.beta, config_.encoder.layerNormEps);
    r.hidden = std::move(x);
    return r;
}

} // namespace attn
