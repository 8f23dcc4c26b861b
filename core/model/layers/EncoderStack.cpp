#include "model/layers/EncoderStack.h"

#include "attention/AttentionMask.h"
#include "model/layers/ContactHead.h"
#include "tensor/Ops.h"
#include "util/Progress.h"

#include <algorithm>

namespace attn {

void runLayers(const std::vector<EncoderLayer>& layers, Matrix& x, const AttentionMask& mask, AttentionStore& store,
               Progress& progress, RunContacts* contacts, int firstStep, int steps, LayerTaps* taps)
{
    const int count = static_cast<int>(layers.size());
    LayerScratch scratch;
    for (int l = 0; l < count; ++l) {
        progress.step(firstStep + l, steps, "layer " + std::to_string(l + 1) + " of " + std::to_string(count));
        layers[static_cast<std::size_t>(l)].forward(x, mask, {&store, l, &progress, contacts ? contacts->head() : nullptr}, scratch);
        store.finishLayer(l);
        if (contacts)
            contacts->head()->finishLayer(l);
        if (taps && std::find(taps->after.begin(), taps->after.end(), l) != taps->after.end())
            taps->states.push_back(x);
    }
}

RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep)
{
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    RunResult r{{}, {}, {}, {}, AttentionStore(config.nLayers, config.nHeads, x.rows(), options.store)};
    const AttentionMask mask{{}, false, {}};
    runLayers(layers, x, mask, r.attention, progress, nullptr, firstStep, firstStep + config.nLayers);
    if (finalNorm)
        layerNormRows(x, finalNorm->gamma, finalNorm->beta, config.layerNormEps);
    r.logits = classifierW * x.row(0).transpose() + classifierB;
    r.hidden = std::move(x);
    return r;
}

} // namespace attn
