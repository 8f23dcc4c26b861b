#include "model/layers/EncoderStack.h"

#include "attention/AttentionMask.h"
#include "tensor/Ops.h"

namespace attn {

RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep)
{
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    RunResult r{{}, {}, {}, {}, AttentionStore(config.nLayers, config.nHeads, x.rows(), options.store)};
    const AttentionMask mask{{}, false, {}};
    const int steps = firstStep + config.nLayers;
    LayerScratch scratch;
    for (int l = 0; l < config.nLayers; ++l) {
        progress.step(firstStep + l, steps, "layer " + std::to_string(l + 1) + " of " + std::to_string(config.nLayers));
        layers[static_cast<std::size_t>(l)].forward(x, mask, {&r.attention, l, &progress}, scratch);
    }
    if (finalNorm)
        layerNormRows(x, finalNorm->gamma, finalNorm->beta, config.layerNormEps);
    r.logits = classifierW * x.row(0).transpose() + classifierB;
    r.hidden = std::move(x);
    return r;
}

} // namespace attn
