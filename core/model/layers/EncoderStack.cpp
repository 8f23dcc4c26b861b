#include "model/layers/EncoderStack.h"

#include "attention/AttentionMask.h"
#include "model/layers/ContactHead.h"
#include "tensor/Ops.h"
#include "util/Progress.h"

#include <algorithm>

namespace attn {

void runLayers(const std::vector<EncoderLayer>& layers, Matrix& x, const AttentionMask& mask, const LayerRun& run)
{
    const int count = static_cast<int>(layers.size());
    const Interventions& edits = run.options.interventions;
    if (!edits.empty() && count > 0)
        edits.checkFits(count, layers.front().heads(), false);
    Progress none;
    Progress& progress = run.options.progress ? *run.options.progress : none;
    const int steps = run.steps > 0 ? run.steps : run.firstStep + count;
    LayerScratch scratch;
    for (int l = 0; l < count; ++l) {
        progress.step(run.firstStep + l, steps, "layer " + std::to_string(l + 1) + " of " + std::to_string(count));
        if (run.options.recorder)
            run.options.recorder->layerInput(l, x);
        AttentionSink sink{run.store.keepsNothing() ? nullptr : &run.store, l, &progress, run.contacts ? run.contacts->head() : nullptr};
        sink.edits = edits.layer(l, AttentionPart::Main);
        sink.recorder = run.options.recorder;
        layers[static_cast<std::size_t>(l)].forward(x, mask, sink, scratch);
        run.store.finishLayer(l);
        if (run.contacts)
            run.contacts->head()->finishLayer(l);
        if (run.taps && std::find(run.taps->after.begin(), run.taps->after.end(), l) != run.taps->after.end())
            run.taps->states.push_back(x);
    }
}

RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep)
{
    RunResult r{{}, {}, {}, {}, AttentionStore(config.nLayers, config.nHeads, x.rows(), options.store)};
    const AttentionMask mask{{}, false, {}};
    runLayers(layers, x, mask, {r.attention, options, nullptr, firstStep});
    if (finalNorm)
        layerNormRows(x, finalNorm->gamma, finalNorm->beta, config.layerNormEps);
    r.logits = classifierW * x.row(0).transpose() + classifierB;
    r.hidden = std::move(x);
    return r;
}

} // namespace attn
