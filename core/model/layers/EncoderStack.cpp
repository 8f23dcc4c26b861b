#include "model/layers/EncoderStack.h"

#include "attention/AttentionMask.h"
#include "model/layers/ContactHead.h"
#include "tensor/Ops.h"
#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>

namespace attn {

namespace {

/// Where a run starts.
struct Start {
    int layer = 0;
    bool resumed = false; ///< From the options' cache.
};

/// Layer 0, or the options' resumeLayer with x (and the taps below it) from their cache, when the run
/// keeps no attention and feeds no contact head (both need every layer).
Start resumeAt(Matrix& x, const LayerRun& run)
{
    const RunOptions& o = run.options;
    if (!resumesFromCache(run))
        return {};
    check(o.resumeFrom->hasInput(o.resumeLayer), "the run to resume from did not record layer " + std::to_string(o.resumeLayer));
    x = o.resumeFrom->input(o.resumeLayer);
    if (run.taps)
        for (int k : run.taps->after)
            if (k < o.resumeLayer)
                run.taps->states.push_back(o.resumeFrom->input(k + 1));
    return {o.resumeLayer, true};
}

/// True when layer l of this run may be computed for the first token alone: the last layer, read by a
/// classifier on [CLS] whose caller wants the prediction alone, with nothing else to see every token.
bool firstTokenOnly(int l, int count, const LayerRun& run, const LayerEdits* edits)
{
    const bool mean = edits && edits->meansOutputs();
    const bool tapped = run.taps && std::find(run.taps->after.begin(), run.taps->after.end(), l) != run.taps->after.end();
    return l == count - 1 && run.readsFirstTokenOnly && run.options.predictionOnly && run.store.keepsNothing() && !run.contacts
        && !run.options.recorder && !mean && !tapped;
}

/// True when the weight edits of a layer (if any) make heads uniform and nothing else, under a mask
/// that lets every query see the same keys: each such head's output is then its values' mean.
bool uniformOnly(const LayerEdits* edits, const AttentionMask& mask)
{
    if (!edits || !edits->weights)
        return true;
    if (mask.causal)
        return false;
    for (int h = 0; h < static_cast<int>(edits->copyFrom.size()); ++h)
        if (edits->sourceHead(h) != h || edits->inverseTemperatureOf(h) != 1.0f)
            return false;
    return true;
}

/// Runs layer l; the first layer of a resumed run whose heads change only on their outputs, or become
/// uniform, starts from the recorded outputs, edited, instead of computing its attention again.
void runLayer(const EncoderLayer& layer, int l, bool resumed, bool firstOnly, Matrix& x, const AttentionMask& mask,
              const AttentionSink& sink, LayerScratch& scratch, const RunOptions& options)
{
    if (resumed && options.resumeFrom->hasContext(l) && uniformOnly(sink.edits, mask)) {
        Matrix z = options.resumeFrom->context(l);
        if (sink.edits && sink.edits->weights)
            layer.uniformHeadOutputs(x, *sink.edits, mask.keyPadding, z);
        if (sink.edits)
            applyOutputEdits(*sink.edits, z, layer.heads(), nullptr, mask.keyPadding);
        if (!firstOnly)
            return layer.forwardFromContext(x, z, scratch);
        Matrix first = x.topRows(1);
        layer.forwardFromContext(first, z.topRows(1), scratch);
        x.row(0) = first.row(0);
        return;
    }
    if (firstOnly)
        layer.forwardFirstToken(x, mask, sink, scratch);
    else
        layer.forward(x, mask, sink, scratch);
}

} // namespace

bool resumesFromCache(const LayerRun& run)
{
    return run.options.resumeFrom && !run.contacts && run.store.keepsNothing();
}

void runLayers(const std::vector<EncoderLayer>& layers, Matrix& x, const AttentionMask& mask, const LayerRun& run)
{
    const int count = static_cast<int>(layers.size());
    const Interventions& edits = run.options.interventions;
    if (!edits.empty() && count > 0)
        edits.checkFits(count, layers.front().heads(), false);
    Progress none;
    Progress& progress = run.options.progress ? *run.options.progress : none;
    const int steps = run.steps > 0 ? run.steps : run.firstStep + count;
    const Start start = resumeAt(x, run);
    LayerScratch scratch;
    for (int l = start.layer; l < count; ++l) {
        progress.step(run.firstStep + l, steps, "layer " + std::to_string(l + 1) + " of " + std::to_string(count));
        if (run.options.recorder)
            run.options.recorder->layerInput(l, x);
        AttentionSink sink{run.store.keepsNothing() ? nullptr : &run.store, l, &progress, run.contacts ? run.contacts->head() : nullptr};
        sink.edits = edits.layer(l, AttentionPart::Main);
        sink.recorder = run.options.recorder;
        runLayer(layers[static_cast<std::size_t>(l)], l, start.resumed && l == start.layer, firstTokenOnly(l, count, run, sink.edits), x,
                 mask, sink, scratch, run.options);
        run.store.finishLayer(l);
        if (run.contacts)
            run.contacts->head()->finishLayer(l);
        if (run.taps && std::find(run.taps->after.begin(), run.taps->after.end(), l) != run.taps->after.end())
            run.taps->states.push_back(x);
    }
}

RunResult encodeAndClassify(Index tokens, const std::function<Matrix()>& embed, const std::vector<EncoderLayer>& layers,
                            const ModelConfig& config, const std::optional<NormWeights>& finalNorm,
                            const Eigen::Map<const Matrix>& classifierW, const Eigen::Map<const Vector>& classifierB,
                            const RunOptions& options, int firstStep)
{
    RunResult r{{}, {}, {}, {}, AttentionStore(config.nLayers, config.nHeads, tokens, options.store)};
    const AttentionMask mask{{}, false, {}};
    LayerRun run{r.attention, options, nullptr, firstStep};
    run.readsFirstTokenOnly = true; // the classifier reads [CLS]
    Matrix x = resumesFromCache(run) ? Matrix() : embed();
    runLayers(layers, x, mask, run);
    if (finalNorm)
        layerNormRows(x, finalNorm->gamma, finalNorm->beta, config.layerNormEps);
    r.logits = classifierW * x.row(0).transpose() + classifierB;
    r.hidden = std::move(x);
    return r;
}

} // namespace attn
