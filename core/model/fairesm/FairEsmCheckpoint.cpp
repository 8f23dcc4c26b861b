// fair-esm's own files (esm2_t*_UR50D.pt, esm1b_t33_650M_UR50S.pt, esm_msa1b_t12_100M_UR50S.pt) opened
// as models: read through the restricted unpickler, renamed as esm/pretrained.py renames them, and
// loaded by the `esm` (ESM-1b, ESM-2) or `msa_transformer` family. The architecture comes from the
// file's `args` (an argparse.Namespace) or `cfg["model"]`; the contact head from
// NAME-contact-regression.pt beside it.

#include "checkpoint/TorchCheckpoint.h"
#include "io/BinaryFile.h"
#include "model/ModelFamilyTable.h"
#include "model/tokenizers/ProteinAlphabet.h"
#include "model/fairesm/FairEsmNames.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <map>

namespace attn {
namespace {

using nlohmann::json;
using Kind = PickleValue::Kind;

/// The architecture's arguments, by name: `args` with "encoder_" dropped (v1), or cfg["model"] (v2).
struct Arguments {
    const PickleGraph* graph = nullptr;
    std::map<std::string, PickleRef> values;
    std::string where;

    const PickleValue& at(const std::string& key) const
    {
        const auto it = values.find(key);
        check<FormatError>(it != values.end(), where + ": no '" + key + "'");
        return graph->at(it->second);
    }
    std::int64_t integer(const std::string& key) const
    {
        const PickleValue& v = at(key);
        check<FormatError>(v.kind == Kind::Int && v.number > 0 && v.number < (1 << 24), where + ": '" + key + "' is not a positive integer");
        return v.number;
    }
    bool flag(const std::string& key) const
    {
        const auto it = values.find(key);
        return it != values.end() && graph->at(it->second).kind == Kind::Bool && graph->at(it->second).number != 0;
    }
    std::string text(const std::string& key) const
    {
        const PickleValue& v = at(key);
        check<FormatError>(v.kind == Kind::Text, where + ": '" + key + "' is not text");
        return v.text;
    }
};

Arguments arguments(const TorchCheckpoint& file, bool& v2)
{
    const PickleGraph& g = file.graph();
    Arguments a{&g, {}, file.path().string()};
    std::optional<PickleRef> record = g.field(g.root(), "args");
    v2 = !record;
    if (v2)
        if (const auto cfg = g.field(g.root(), "cfg"))
            record = g.field(*cfg, "model");
    check<FormatError>(record && (g.is(*record, Kind::Record) || g.is(*record, Kind::Dict)),
                       a.where + ": a PyTorch checkpoint without fair-esm's 'args' or cfg['model'] (a state dict alone needs a folder with "
                                 "config.json beside it)");
    a.where += v2 ? " (cfg['model'])" : " (args)";
    for (const auto& [key, value] : g.at(*record).entries)
        if (g.is(key, Kind::Text))
            a.values[v2 ? g.at(key).text : fairesm::argumentName(g.at(key).text)] = value;
    return a;
}

/// The model's tensors with the contact regression of NAME-contact-regression.pt added.
TensorMap tensorsWithRegression(const TorchCheckpoint& file)
{
    const PickleGraph& g = file.graph();
    const auto model = g.field(g.root(), "model");
    check<FormatError>(model && g.is(*model, Kind::Dict), file.path().string() + ": no 'model' state dict, as fair-esm's files hold");
    TensorMap tensors = file.tensors(*model);
    std::filesystem::path regression = file.path();
    regression.replace_filename(file.path().stem().string() + "-contact-regression.pt");
    check<FormatError>(isRegularFile(regression),
                       file.path().string() + ": " + regression.filename().string()
                           + " is not beside it; fair-esm's contact regression is the contact head attnscope runs (ESM-1v has none and is "
                             "not opened)");
    for (auto& [name, tensor] : readTorchStateDict(regression))
        tensors[name] = std::move(tensor);
    return tensors;
}

/// fair-esm names renamed to the esm family's (Hugging Face's); names with no counterpart dropped.
TensorMap huggingFaceTensors(TensorMap raw, bool v2)
{
    TensorMap out;
    for (auto& [name, tensor] : raw) {
        const std::string hf = fairesm::huggingFaceName(v2 ? fairesm::upgradeV2(name) : fairesm::upgradeV1(name));
        if (!hf.empty())
            out[hf] = std::move(tensor);
    }
    return out;
}

/// ESM-2's feed-forward width: cfg has none (ESM2 builds 4 x embed_dim), so it is read off fc1.
std::int64_t feedForwardWidth(const TensorMap& tensors, std::int64_t d)
{
    const auto it = tensors.find("esm.encoder.layer.0.intermediate.dense.weight");
    return it != tensors.end() && it->second.shape.size() == 2 ? it->second.shape[0] : 4 * d;
}

json esmConfig(const Arguments& a, bool v2, const TensorMap& tensors)
{
    const std::int64_t d = a.integer(v2 ? "encoder_embed_dim" : "embed_dim");
    json c{{"model_type", "esm"},
           {"vocab", ProteinAlphabet::esm().tokens()}, // fair-esm's Alphabet.from_architecture: ESM-1b's, for ESM-2 too
           {"hidden_size", d},
           {"num_hidden_layers", a.integer(v2 ? "encoder_layers" : "layers")},
           {"num_attention_heads", a.integer(v2 ? "encoder_attention_heads" : "attention_heads")},
           {"intermediate_size", v2 ? feedForwardWidth(tensors, d) : a.integer("ffn_embed_dim")},
           {"hidden_act", "gelu"},
           {"layer_norm_eps", 1e-5},
           {"max_position_embeddings", v2 ? 1026 : a.integer("max_positions") + 2},
           {"position_embedding_type", v2 ? "rotary" : "absolute"},
           {"token_dropout", a.flag("token_dropout")},
           {"emb_layer_norm_before", tensors.count("esm.embeddings.layer_norm.weight") != 0}};
    return c;
}

std::shared_ptr<const Model> loadEsm(const TorchCheckpoint& file, const Arguments& a, bool v2)
{
    TensorMap tensors = huggingFaceTensors(tensorsWithRegression(file), v2);
    if (!v2) { // ESM-1b: pretrained.py zeroes the <mask> embedding ("for token drop")
        const auto it = tensors.find("esm.embeddings.word_embeddings.weight");
        const int mask = ProteinAlphabet::esm().mask();
        if (it != tensors.end() && it->second.shape.size() == 2 && it->second.shape[0] > mask)
            std::fill_n(it->second.data.begin() + mask * it->second.shape[1], it->second.shape[1], 0.0f);
    }
    const json config = esmConfig(a, v2, tensors);
    ModelSource source{file.path().parent_path(), ModelWeights{std::move(tensors), file.path().string()}};
    return modelFamily("esm").load(source, ConfigReader(config, a.where));
}

std::shared_ptr<const Model> loadMsaTransformer(const TorchCheckpoint& file, const Arguments& a)
{
    TensorMap tensors;
    for (auto& [name, tensor] : tensorsWithRegression(file))
        tensors[fairesm::upgradeV1(fairesm::swapRowColumn(name))] = std::move(tensor);
    const json config{{"family", "msa_transformer"},          {"layers", a.integer("layers")},
                      {"embed_dim", a.integer("embed_dim")},  {"ffn_embed_dim", a.integer("ffn_embed_dim")},
                      {"attention_heads", a.integer("attention_heads")}, {"max_positions", a.integer("max_positions")}};
    ModelSource source{file.path().parent_path(), ModelWeights{std::move(tensors), file.path().string()}};
    return modelFamily("msa_transformer").load(source, ConfigReader(config, a.where));
}

std::shared_ptr<const Model> loadFairEsm(const std::filesystem::path& path)
{
    const TorchCheckpoint file(path);
    bool v2 = false;
    const Arguments a = arguments(file, v2);
    if (v2)
        return loadEsm(file, a, true);
    const std::string arch = a.text("arch");
    if (arch == "roberta_large")
        return loadEsm(file, a, false);
    if (arch == "msa_transformer")
        return loadMsaTransformer(file, a);
    throw FormatError(a.where + ": architecture '" + arch + "'; attnscope opens fair-esm's ESM-2 (cfg), ESM-1b ('roberta_large') and "
                                 "MSA Transformer ('msa_transformer') files");
}

bool isCheckpointFile(const std::filesystem::path& file)
{
    const std::string ext = file.extension().string();
    return (ext == ".pt" || ext == ".pth") && isRegularFile(file);
}

} // namespace

ModelFormat fairEsmFormat()
{
    return {"fair-esm", isCheckpointFile, loadFairEsm};
}

} // namespace attn
