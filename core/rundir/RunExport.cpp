#include "rundir/RunExport.h"

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

std::vector<std::string> writeAttention(const std::filesystem::path& directory, const RunStore& s)
{
    std::filesystem::create_directories(directory / s.folder);
    std::vector<std::string> files;
    const Index l = s.store->length();
    const std::vector<std::int64_t> shape = s.layerShape.empty() ? std::vector<std::int64_t>{s.store->heads(), l, l} : s.layerShape;
    std::vector<float> buffer(static_cast<std::size_t>(s.store->heads() * l * l));
    for (int layer = 0; layer < s.store->layers(); ++layer) {
        if (!s.store->hasLayer(layer))
            continue;
        s.store->copyLayer(layer, buffer.data());
        const std::string file = s.folder + "/" + layerFileName(layer);
        writeNpy(directory / file, shape, buffer.data());
        files.push_back(file);
    }
    return files;
}

json classifierJson(const ModelConfig& c, const RunResult& result)
{
    const Vector p = probabilities(result.logits);
    Index best = 0;
    p.maxCoeff(&best);
    return {{"labels", c.labels},
            {"logits", std::vector<float>(result.logits.data(), result.logits.data() + result.logits.size())},
            {"probabilities", std::vector<float>(p.data(), p.data() + p.size())},
            {"predicted_label", c.labels[static_cast<std::size_t>(best)]}};
}

/// Every edit of the run: where, what, and the --intervene text that makes it again.
json interventionsJson(const Interventions& interventions)
{
    json out = json::array();
    for (const HeadEdit& e : interventions.edits())
        out.push_back({{"layer", e.layer}, {"head", e.head}, {"attention", e.part == AttentionPart::Column ? "column" : "main"},
                       {"kind", headEditKindName(e.kind)}, {"value", e.value}, {"spec", e.spec()}, {"description", e.describe()}});
    return out;
}

json metaJson(const Model& model, const TokenAxis& axis, const RunResult& result, const RunDescription& d,
              const RolloutOptions& rollout, const RunFiles& files, const std::vector<json>& attention)
{
    const ModelConfig& c = model.encoderConfig();
    static const char* fusionNames[] = {"mean", "max", "min"};
    json input = {{"path", d.inputPath}, {"record", d.recordName}, {"description", d.recordDescription},
                  {"tokens", axis.size()}, {"unknown_tokens", d.unknownTokens}};
    for (const auto& [key, value] : d.inputDetails)
        std::visit([&input, &key = key](const auto& v) { input[key] = v; }, value);
    json meta = {
        {"attnscope_version", ATTNSCOPE_VERSION},
        {"model", {{"path", d.modelPath}, {"family", c.family}, {"n_layers", c.nLayers}, {"n_heads", c.nHeads},
                   {"d_model", c.dModel}}},
        {"input", input},
        {"token_axis", {{"file", "tokens.tsv"}, {"unit", axis.unit}, {"dimensions", axis.dimensions}}},
        {"attention", attention.front()},
        {"seconds", d.seconds},
        {"interventions", interventionsJson(d.interventions)},
    };
    if (!c.labels.empty() && result.logits.size() == static_cast<Index>(c.labels.size()))
        meta.update(classifierJson(c, result));
    for (std::size_t i = 1; i < attention.size(); ++i) // a kind's further attention, under its folder's name
        meta[attention[i].at("folder").get<std::string>()] = attention[i];
    for (const RunArray& a : files.arrays)
        meta["arrays"][a.file] = {{"shape", a.shape}, {"layout", a.layout}};
    if (files.rollout)
        meta["rollout"] = {{"file", "rollout.npy"}, {"row", files.rolloutMean ? "mean over queries" : "[CLS]"}, {"head_fusion", fusionNames[static_cast<int>(rollout.fusion)]},
                           {"discard_ratio", rollout.discardRatio}, {"start_layer", rollout.startLayer}};
    return meta;
}

} // namespace

Vector probabilities(const Vector& logits)
{
    if (logits.size() == 0)
        return {};
    const Eigen::ArrayXf e = (logits.array() - logits.maxCoeff()).exp();
    return (e / e.sum()).matrix();
}

namespace {

/// Text as one TSV field: tabs and line breaks become spaces.
std::string tsvField(std::string s)
{
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s;
}

} // namespace

std::string tokenTable(const TokenAxis& axis)
{
    std::string text = "index\t" + axis.labelColumn;
    for (const TokenColumn& c : axis.columns)
        text += "\t" + c.name;
    text += "\n";
    char number[64];
    for (std::size_t i = 0; i < axis.labels.size(); ++i) {
        text += std::to_string(i) + "\t" + tsvField(axis.labels[i]);
        for (const TokenColumn& c : axis.columns) {
            if (!c.text.empty()) {
                text += "\t" + tsvField(c.text[i]);
                continue;
            }
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
                       const RunResult& result, const RunDescription& description, const RolloutOptions& rollout,
                       const RunFiles& files)
{
    check<ShapeError>(static_cast<Index>(axis.size()) == result.attention.length(),
                      "the token axis has " + std::to_string(axis.size()) + " tokens, the run " + std::to_string(result.attention.length()));
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    check<IoError>(!ec, directory.string() + ": cannot create output directory (" + ec.message() + ")");
    writeBinaryFile(directory / "tokens.tsv", tokenTable(axis));
    if (files.arrays.empty() && files.logits)
        writeNpy(directory / "logits.npy", {result.logits.size()}, result.logits.data());
    for (const RunArray& a : files.arrays)
        writeNpy(directory / a.file, a.shape, a.data);
    const std::vector<RunStore> stores = files.attention.empty()
        ? std::vector<RunStore>{{"attention", &result.attention, {}, "float32 [heads, query, key], softmax weights, row = query"}}
        : files.attention;
    std::vector<json> attention;
    for (const RunStore& s : stores)
        attention.push_back({{"folder", s.folder}, {"store", storeTypeName(s.store->type())}, {"files", writeAttention(directory, s)},
                             {"layout", s.layout}});
    if (files.rollout) {
        const RowVector clsRow = files.rolloutMean ? rolloutMeanRow(result.attention, result.keyPadding, rollout)
                                                   : rolloutRow(result.attention, result.keyPadding, rollout, 0);
        writeNpy(directory / "rollout.npy", {clsRow.size()}, clsRow.data());
        if (!description.kmerSpans.empty()) { // per base, each k-mer's weight spread over its bases (interpret/KmerSpread.h)
            const std::vector<float> perBase = spreadToBases(clsRow, description.kmerSpans, description.bases);
            writeNpy(directory / "rollout_bases.npy", {static_cast<std::int64_t>(perBase.size())}, perBase.data());
        }
    }
    writeBinaryFile(directory / "meta.json", metaJson(model, axis, result, description, rollout, files, attention).dump(2) + "\n");
}

} // namespace attn
