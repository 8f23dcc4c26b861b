#include "io/RunExport.h"

#include "interpret/KmerSpread.h"

#include <algorithm>

#include "io/BinaryFile.h"
#include "io/Npy.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace attn {
namespace {

using json = nlohmann::json;

std::string layerFileName(int layer)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "layer_%02d.npy", layer);
    return buf;
}

std::vector<std::string> writeAttention(const std::filesystem::path& dir, const AttentionStore& store)
{
    std::filesystem::create_directories(dir);
    std::vector<std::string> files;
    const Index l = store.length();
    std::vector<float> buffer(static_cast<std::size_t>(store.heads() * l * l));
    for (int layer = 0; layer < store.layers(); ++layer) {
        if (!store.hasLayer(layer))
            continue;
        store.copyLayer(layer, buffer.data());
        writeNpy(dir / layerFileName(layer), {store.heads(), l, l}, buffer.data());
        files.push_back("attention/" + layerFileName(layer));
    }
    return files;
}

json metaJson(const Model& model, const TokenAxis& axis, const RunResult& result, const RunDescription& d,
              const RolloutOptions& rollout, const std::vector<std::string>& attentionFiles)
{
    const ModelConfig& c = model.encoderConfig();
    const Vector p = probabilities(result.logits);
    Index best = 0;
    p.maxCoeff(&best);
    static const char* fusionNames[] = {"mean", "max", "min"};
    return {
        {"attnscope_version", ATTNSCOPE_VERSION},
        {"model", {{"path", d.modelPath}, {"family", c.family}, {"n_layers", c.nLayers}, {"n_heads", c.nHeads},
                   {"d_model", c.dModel}}},
        {"input", {{"path", d.inputPath}, {"record", d.recordName}, {"description", d.recordDescription},
                   {"tokens", axis.size()}, {"unknown_tokens", d.unknownTokens}}},
        {"token_axis", {{"file", "tokens.tsv"}, {"unit", axis.unit}, {"dimensions", axis.dimensions}}},
        {"labels", c.labels},
        {"logits", std::vector<float>(result.logits.data(), result.logits.data() + result.logits.size())},
        {"probabilities", std::vector<float>(p.data(), p.data() + p.size())},
        {"predicted_label", c.labels[static_cast<std::size_t>(best)]},
        {"attention", {{"store", storeTypeName(result.attention.type())}, {"files", attentionFiles},
                       {"layout", "float32 [heads, query, key], softmax weights, row = query"}}},
        {"rollout", {{"file", "rollout.npy"}, {"row", "[CLS]"}, {"head_fusion", fusionNames[static_cast<int>(rollout.fusion)]},
                     {"discard_ratio", rollout.discardRatio}, {"start_layer", rollout.startLayer}}},
        {"seconds", d.seconds},
    };
}

} // namespace

Vector probabilities(const Vector& logits)
{
    const Eigen::ArrayXf e = (logits.array() - logits.maxCoeff()).exp();
    return (e / e.sum()).matrix();
}

std::string tokenTable(const TokenAxis& axis)
{
    std::string text = "index\t" + axis.labelColumn;
    for (const TokenColumn& c : axis.columns)
        text += "\t" + c.name;
    text += "\n";
    char number[64];
    for (std::size_t i = 0; i < axis.labels.size(); ++i) {
        text += std::to_string(i) + "\t" + axis.labels[i];
        for (const TokenColumn& c : axis.columns) {
            const double v = c.values[i];
            if (std::isnan(v))
                std::snprintf(number, sizeof number, "nan");
            else
                std::snprintf(number, sizeof number, c.integer ? "%.0f" : "%.4f", v);
            text += std::string("\t") + number;
        }
        text += "\n";
    }
    return text;
}

void writeRunDirectory(const std::filesystem::path& directory, const Model& model, const TokenAxis& axis,
                       const RunResult& result, const RunDescription& description, const RolloutOptions& rollout)
{
    check<ShapeError>(static_cast<Index>(axis.size()) == result.attention.length(),
                      "the token axis has " + std::to_string(axis.size()) + " tokens, the run " + std::to_string(result.attention.length()));
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    check<IoError>(!ec, directory.string() + ": cannot create output directory (" + ec.message() + ")");
    writeBinaryFile(directory / "tokens.tsv", tokenTable(axis));
    writeNpy(directory / "logits.npy", {result.logits.size()}, result.logits.data());
    const auto files = writeAttention(directory / "attention", result.attention);
    const RowVector clsRow = rolloutRow(result.attention, result.keyPadding, rollout, 0);
    writeNpy(directory / "rollout.npy", {clsRow.size()}, clsRow.data());
    if (!description.kmerSpans.empty()) { // per base, each k-mer's weight spread over its bases (interpret/KmerSpread.h)
        const std::vector<float> perBase = spreadToBases(clsRow, description.kmerSpans, description.bases);
        writeNpy(directory / "rollout_bases.npy", {static_cast<std::int64_t>(perBase.size())}, perBase.data());
    }
    writeBinaryFile(directory / "meta.json", metaJson(model, axis, result, description, rollout, files).dump(2) + "\n");
}

} // namespace attn
