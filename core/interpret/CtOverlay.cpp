#include "interpret/CtOverlay.h"

#include "interpret/Attributions.h"

#include "volume/Resample.h"

#include <algorithm>
#include <cmath>

namespace attn {

std::string describe(const OverlaySource& source, const PatchLayout& layout)
{
    const bool cls = layout.firstImageToken > 0;
    const std::string from = cls ? "from [CLS]" : "received (mean over queries)";
    if (source.decomposition && !source.rollout)
        return source.decompositionName + ", layer " + std::to_string(source.layer) + " (heads combined), " + from;
    if (source.decomposition && source.decompositionRollsOut)
        return source.decompositionName + " rolled out, " + from;
    if (!source.rollout)
        return "layer " + std::to_string(source.layer) + ", head " + std::to_string(source.head) + ", "
            + (cls ? "from [CLS]" : "attention received (mean over queries)");
    std::string text = std::string(cls ? "rollout from [CLS]" : "rollout, attention received") + " (" + headFusionName(source.options.fusion)
        + " fusion";
    if (source.options.discardRatio > 0)
        text += ", " + std::to_string(static_cast<int>(std::lround(source.options.discardRatio * 100))) + "% discarded";
    if (source.options.startLayer > 0)
        text += ", from layer " + std::to_string(source.options.startLayer);
    return text + ")";
}

namespace {

/// A decomposition's row for the overlay: its layer's map, or its roll-out (the plain product of the
/// layers' maps), from [CLS], or without [CLS] averaged over the queries.
RowVector decompositionRow(const AttentionStore& maps, const OverlaySource& source, bool cls)
{
    const Index n = maps.length();
    const RowVector start = cls ? RowVector(RowVector::Unit(n, 0)) : RowVector(RowVector::Constant(n, 1.0f / static_cast<float>(n)));
    if (!source.rollout)
        return start * maps.head(source.layer, 0);
    std::vector<Matrix> layers;
    for (int l = 0; l < maps.layers(); ++l)
        layers.push_back(maps.head(l, 0));
    return rollOut(layers, start);
}

} // namespace

std::vector<float> imageTokenWeights(const RunResult& run, const OverlaySource& source, const PatchLayout& layout)
{
    RowVector row;
    if (source.decomposition && (!source.rollout || source.decompositionRollsOut))
        row = decompositionRow(*source.decomposition, source, layout.firstImageToken > 0);
    else if (layout.firstImageToken > 0)
        row = source.rollout ? rolloutRow(run.attention, {}, source.options, 0) : RowVector(run.attention.head(source.layer, source.head).row(0));
    else
        row = source.rollout ? rolloutMeanRow(run.attention, {}, source.options)
                             : RowVector(run.attention.head(source.layer, source.head).colwise().mean());
    std::vector<float> w(row.data() + layout.firstImageToken, row.data() + row.size()); // the image tokens
    const float high = w.empty() ? 0.0f : *std::max_element(w.begin(), w.end());
    if (high > 0.0f)
        for (float& v : w)
            v /= high;
    return w;
}

Volume ctOverlay(const VolumeModel& model, const RunResult& run, const OverlaySource& source,
                 const VolumeGeometry& inputGeometry, const VolumeGeometry& study, const Progress* progress)
{
    const PatchLayout layout = model.patchLayout();
    const Volume onInput = backprojectTokens(imageTokenWeights(run, source, layout), layout, inputGeometry);
    return resampleOnto(onInput, study, 0.0f, progress);
}

} // namespace attn
