#include "interpret/CtOverlay.h"

#include "volume/Resample.h"

#include <algorithm>
#include <cmath>

namespace attn {

std::string describe(const OverlaySource& source)
{
    if (!source.rollout)
        return "layer " + std::to_string(source.layer) + ", head " + std::to_string(source.head) + ", from [CLS]";
    std::string text = "rollout from [CLS] (" + headFusionName(source.options.fusion) + " fusion";
    if (source.options.discardRatio > 0)
        text += ", " + std::to_string(static_cast<int>(std::lround(source.options.discardRatio * 100))) + "% discarded";
    if (source.options.startLayer > 0)
        text += ", from layer " + std::to_string(source.options.startLayer);
    return text + ")";
}

std::vector<float> clsTokenWeights(const RunResult& run, const OverlaySource& source)
{
    const RowVector row = source.rollout ? rolloutRow(run.attention, {}, source.options, 0)
                                         : RowVector(run.attention.head(source.layer, source.head).row(0));
    std::vector<float> w(row.data() + 1, row.data() + row.size()); // the image tokens
    const float high = w.empty() ? 0.0f : *std::max_element(w.begin(), w.end());
    if (high > 0.0f)
        for (float& v : w)
            v /= high;
    return w;
}

Volume ctOverlay(const CtModel& model, const RunResult& run, const OverlaySource& source,
                 const VolumeGeometry& inputGeometry, const VolumeGeometry& study, const Progress* progress)
{
    const CtConfig& c = model.config();
    const Volume onInput = backprojectTokens(clsTokenWeights(run, source), c.tokenGrid(), c.tokenGeometry(), inputGeometry);
    return resampleOnto(onInput, study, 0.0f, progress);
}

} // namespace attn
