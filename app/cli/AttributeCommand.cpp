// attnscope-cli attribute: raw attention, rollout, or a decomposition of every layer (Attn-N, GlobEnc,
// ALTI) with its reconstruction error (docs/attributions.md).

#include "cli/CliCommands.h"

#include "interpret/Attributions.h"
#include "io/BinaryFile.h"
#include "io/Npy.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace attn::cli {
namespace {

using json = nlohmann::json;

/// Writes layers [layers, T, T] as one float32 array.
void writeLayers(const std::filesystem::path& path, const std::vector<Matrix>& layers)
{
    const Index t = layers.empty() ? 0 : layers.front().rows();
    std::vector<float> data;
    data.reserve(static_cast<std::size_t>(layers.size()) * static_cast<std::size_t>(t * t));
    for (const Matrix& m : layers)
        data.insert(data.end(), m.data(), m.data() + m.size());
    writeNpy(path, {static_cast<std::int64_t>(layers.size()), t, t}, data.data());
}

/// Every layer's weights averaged over its heads.
std::vector<Matrix> headMeans(const AttentionStore& store)
{
    std::vector<Matrix> out;
    for (int l = 0; l < store.layers(); ++l)
        out.push_back(headMean(store, l));
    return out;
}

/// Writes attribution.npy (and layers.npy for GlobEnc and ALTI); returns its shape.
std::vector<std::int64_t> writeAttribution(const std::filesystem::path& dir, AttributionMethod method, const RunResult& result,
                                           const std::vector<LayerAttribution>& decomposed)
{
    const auto file = dir / "attribution.npy";
    const std::int64_t t = result.attention.length();
    if (method == AttributionMethod::Rollout) {
        const RowVector row = rolloutRow(result.attention, result.keyPadding, RolloutOptions{}, 0);
        writeNpy(file, {t}, row.data());
        return {t};
    }
    const std::vector<Matrix> layers = method == AttributionMethod::Attention ? headMeans(result.attention) : methodLayers(decomposed, method);
    if (!rollsOut(method)) {
        writeLayers(file, layers);
        return {static_cast<std::int64_t>(layers.size()), t, t};
    }
    writeLayers(dir / "layers.npy", layers);
    const RowVector row = rolledOutRow(layers, 0);
    writeNpy(file, {t}, row.data());
    return {t};
}

json metaJson(const AttributeArgs& args, AttributionMethod method, const kinds::KindRun& run, const std::vector<std::int64_t>& shape,
              const std::vector<LayerAttribution>& decomposed)
{
    json errors = json::array();
    double worst = 0;
    for (const LayerAttribution& l : decomposed) {
        errors.push_back(l.reconstructionError);
        worst = std::max(worst, l.reconstructionError);
    }
    json meta{{"model", args.model}, {"input", args.choice.input}, {"method", attributionMethodName(method)}, {"shape", shape},
              {"tokens", run.data.axis.labels}, {"layout", rollsOut(method) ? "float32 [tokens]: row 0 (the first token) of the layers' product"
                                                                             : "float32 [layers, receiving token, source token]"}};
    if (decomposes(method)) {
        meta["reconstruction_error"] = errors;
        meta["reconstruction_error_max"] = worst;
        meta["reconstruction_error_means"] = "max |sum of a layer's parts - the real vector| / max |real vector|, unpadded tokens";
    }
    return meta;
}

} // namespace

void attributeCommand(const AttributeArgs& args)
{
    const AttributionMethod method = parseAttributionMethod(args.method);
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    AttributionRecorder recorder;
    RunOptions options;
    options.store.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    if (decomposes(method))
        options.recorder = &recorder;
    const auto run = kind.run(model, args.choice, options);
    reportRunWarnings(*run);
    const RunResult& result = *run->data.result;
    check<FormatError>(!decomposes(method) || static_cast<int>(recorder.layers().size()) == result.attention.layers(),
                       args.model + ": a " + model->family() + " model's layers are not decomposed by " + args.method
                           + " (only encoder layers of one attention are); --method attention and rollout work on it");
    std::error_code ec;
    std::filesystem::create_directories(args.out, ec);
    check<IoError>(!ec, args.out + ": cannot create output directory (" + ec.message() + ")");
    const auto shape = writeAttribution(args.out, method, result, recorder.layers());
    writeBinaryFile(std::filesystem::path(args.out) / "meta.json", metaJson(args, method, *run, shape, recorder.layers()).dump(2) + "\n");
    std::cout << args.method << " attribution written to " << (std::filesystem::path(args.out) / "attribution.npy").string() << "\n";
}

} // namespace attn::cli
