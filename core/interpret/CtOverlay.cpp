#include "interpret/CtOverlay.h"

#include "volume/Resample.h"

#include <algorithm>
#include <cmath>

namespace attn {

std::string describe(const OverlaySource& source, const PatchLayout& layout)
{
    const bool cls = layout.firstImageToken > 0;
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

std::vector<float> imageTokenWeights(const RunResult& run, const OverlaySource& source, const PatchLayout& layout)
{
    RowVector row;
    if (layout.firstImageToken > 0)
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
