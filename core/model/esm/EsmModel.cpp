#include "model/esm/EsmModel.h"

#include "checkpoint/ModelWeights.h"

#include "model/WeightViews.h"
#include "io/BinaryFile.h"
#include "model/layers/ContactHead.h"
#include "model/ModelFamilyTable.h"
#include "model/RunMemory.h"
#include "tensor/Ops.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace attn {
namespace {

/// vocab.txt: one token per line, id = line number - 1.
ProteinAlphabet readVocab(const std::filesystem::path& path)
{
    std::istringstream in(readWholeFile(path));
    std::vector<std::string> tokens;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        tokens.push_back(line);
    }
    while (!tokens.empty() && tokens.back().empty())
        tokens.pop_back();
    return ProteinAlphabet::fromTokens(std::move(tokens), path.string());
}

/// The encoder layers' tensors renamed to EncoderLayer's (q, k, v packed into in_proj, as
/// nn.MultiheadAttention holds them); every other tensor keeps its Hugging Face name.
TensorMap layersToEncoderNames(TensorMap tensors, const ModelConfig& c, const std::string& file)
{
    const std::int64_t d = c.dModel, ff = c.dimFeedforward;
    TensorMap out;
    for (int i = 0; i < c.nLayers; ++i) {
        const std::string b = "esm.encoder.layer." + std::to_string(i) + ".";
        const std::string t = "encoder.layers." + std::to_string(i) + ".";
        const std::string a = b + "attention.self.";
        const auto get = [&](const std::string& name, std::vector<std::int64_t> shape) { return takeTensor(tensors, name, shape, file); };
        out[t + "self_attn.in_proj_weight"] = takePacked(tensors, a + "query.weight", a + "key.weight", a + "value.weight", {d, d}, file);
        out[t + "self_attn.in_proj_bias"] = takePacked(tensors, a + "query.bias", a + "key.bias", a + "value.bias", {d}, file);
        if (c.positional == Positional::Rotary && tensors.count(a + "rotary_embeddings.inv_freq"))
            out[t + "self_attn.rotary_inv_freq"] = get(a + "rotary_embeddings.inv_freq", {c.headDim() / 2});
        struct Rename {
            const char* from;
            const char* to;
            std::int64_t rows, cols; // weight [rows, cols] (cols 0: a LayerNorm's [rows]), bias [rows]
        };
        const Rename renames[] = {{"attention.output.dense", "self_attn.out_proj", d, d},
                                  {"attention.LayerNorm", "norm1", d, 0},
                                  {"intermediate.dense", "linear1", ff, d},
                                  {"output.dense", "linear2", d, ff},
                                  {"LayerNorm", "norm2", d, 0}};
        for (const Rename& r : renames) {
            const std::vector<std::int64_t> shape = r.cols ? std::vector<std::int64_t>{r.rows, r.cols} : std::vector<std::int64_t>{r.rows};
            out[t + r.to + ".weight"] = get(b + r.from + ".weight", shape);
            out[t + r.to + ".bias"] = get(b + r.from + ".bias", {r.rows});
        }
    }
    for (auto& [name, tensor] : tensors)
        if (name.rfind("esm.encoder.layer.", 0) != 0)
            out.emplace(name, std::move(tensor));
    return out;
}

struct EsmConfig {
    ModelConfig encoder;
    EsmOptions options;
};

EsmConfig readEsmConfig(const ConfigReader& r)
{
    const std::string& where = r.where();
    EsmConfig e;
    ModelConfig& c = e.encoder;
    c.family = "esm";
    readHuggingFaceEncoder(r, c);
    c.normFirst = true;
    c.finalNorm = true;
    c.layerNormEps = r.numberOr("layer_norm_eps", 1e-5f);
    const std::string pos = r.oneOfOr("position_embedding_type", {"rotary", "absolute"}, "absolute");
    c.positional = pos == "rotary" ? Positional::Rotary : Positional::Learned;
    const int maxPositions = r.positiveInt("max_position_embeddings");
    check<FormatError>(maxPositions > 3, where + ": 'max_position_embeddings' must be at least 4");
    c.maxLen = maxPositions - 2; // positions are counted from the padding index + 1
    e.options.absolute = pos == "absolute";
    e.options.tokenDropout = r.booleanOr("token_dropout", false);
    e.options.embedNorm = r.booleanOr("emb_layer_norm_before", false);
    check<FormatError>(!r.booleanOr("is_folding_model", false), where + ": an ESMFold model (is_folding_model); attnscope runs the language model only");
    check<FormatError>(c.positional != Positional::Rotary || c.headDim() % 2 == 0, where + ": rotary positions need an even head width");
    return e;
}

} // namespace

EsmModel::EsmModel(ModelConfig config, EsmOptions options, ProteinAlphabet alphabet, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), options_(options), alphabet_(std::move(alphabet)), weights_(std::move(weights)),
      wordEmbedding_(matrixOf(*weights_, "esm.embeddings.word_embeddings.weight", alphabet_.size(), config_.dModel)),
      finalNorm_(readNorm(*weights_, "esm.encoder.emb_layer_norm_after", config_.dModel)),
      lmNorm_(readNorm(*weights_, "lm_head.layer_norm", config_.dModel)),
      lmDenseW_(matrixOf(*weights_, "lm_head.dense.weight", config_.dModel, config_.dModel)),
      decoder_(weights_->has("lm_head.decoder.weight") ? matrixOf(*weights_, "lm_head.decoder.weight", alphabet_.size(), config_.dModel)
                                                       : wordEmbedding_), // tied, and usually not stored
      lmDenseB_(vectorOf(*weights_, "lm_head.dense.bias", config_.dModel)),
      lmBias_(vectorOf(*weights_, "lm_head.bias", alphabet_.size())),
      contactWeight_(matrixOf(*weights_, "esm.contact_head.regression.weight", 1, config_.nLayers * config_.nHeads).row(0).transpose()),
      contactBias_(vectorOf(*weights_, "esm.contact_head.regression.bias", 1)(0))
{
    if (options_.absolute)
        positionEmbedding_.emplace(matrixOf(*weights_, "esm.embeddings.position_embeddings.weight", config_.maxLen + 2, config_.dModel));
    if (options_.embedNorm)
        embedNorm_ = readNorm(*weights_, "esm.embeddings.layer_norm", config_.dModel);
    layers_.reserve(static_cast<std::size_t>(config_.nLayers));
    for (int i = 0; i < config_.nLayers; ++i)
        layers_.emplace_back(*weights_, "encoder.layers." + std::to_string(i) + ".", config_);
}

std::vector<int> EsmModel::tokenize(std::string_view residues, int* unknown) const
{
    std::string letters;
    for (char c : residues)
        if (c != '-' && c != '.')
            letters.push_back(c);
    std::vector<int> ids{alphabet_.cls()};
    const std::vector<int> body = alphabet_.encode(letters, unknown);
    ids.insert(ids.end(), body.begin(), body.end());
    ids.push_back(alphabet_.eos());
    return ids;
}

Matrix EsmModel::embed(const std::vector<int>& ids) const
{
    const auto length = static_cast<Index>(ids.size());
    Matrix x(length, config_.dModel);
    Index masked = 0;
    for (Index p = 0; p < length; ++p) {
        const int id = ids[static_cast<std::size_t>(p)];
        masked += id == alphabet_.mask() ? 1 : 0;
        x.row(p) = id == alphabet_.mask() && options_.tokenDropout ? RowVector::Zero(config_.dModel) : RowVector(wordEmbedding_.row(id));
    }
    if (options_.tokenDropout) // as trained: 15 % masked, 80 % of those as <mask>
        x *= (1.0f - 0.15f * 0.8f) / (1.0f - static_cast<float>(masked) / static_cast<float>(length));
    if (positionEmbedding_)
        x += positionEmbedding_->middleRows(alphabet_.pad() + 1, length);
    if (embedNorm_)
        layerNormRows(x, embedNorm_->gamma, embedNorm_->beta, config_.layerNormEps);
    return x;
}

Matrix EsmModel::logits(Matrix x) const
{
    layerNormRows(x, finalNorm_.gamma, finalNorm_.beta, config_.layerNormEps);
    Matrix h(x.rows(), config_.dModel);
    h.noalias() = x * lmDenseW_.transpose();
    h.rowwise() += lmDenseB_.transpose();
    geluInPlace(h);
    layerNormRows(h, lmNorm_.gamma, lmNorm_.beta, config_.layerNormEps);
    Matrix out(h.rows(), alphabet_.size());
    out.noalias() = h * decoder_.transpose();
    out.rowwise() += lmBias_.transpose();
    return out;
}

void EsmModel::planRun(MemoryPlan& plan, Index length, const StorePlan& store) const
{
    planEncoderRun(plan, config_, length, store);
    const auto n = static_cast<std::size_t>(length);
    plan.add("contact head", (static_cast<std::size_t>(config_.nHeads) * n * n + 2 * n * n) * sizeof(float));
    plan.add("logits", n * static_cast<std::size_t>(alphabet_.size()) * sizeof(float));
}

ProteinRun EsmModel::run(const std::vector<int>& ids, const RunOptions& options) const
{
    const auto length = static_cast<Index>(ids.size());
    check<ShapeError>(length >= 3, "the input has no residues");
    check<ShapeError>(length <= config_.maxLen, "the input has " + std::to_string(length - 2) + " residues but the model takes at most "
                                                    + std::to_string(config_.maxLen - 2));
    for (int id : ids)
        check<ShapeError>(id >= 0 && id < alphabet_.size(), "token id " + std::to_string(id) + " is outside the alphabet");
    MemoryPlan plan("the run on " + std::to_string(length - 2) + " residues");
    planRun(plan, length, options.store);
    plan.check(options.store.budgetBytes); // before anything is allocated

    ProteinRun out;
    out.result.ids = ids;
    out.result.attention = AttentionStore(config_.nLayers, config_.nHeads, length, options.store);
    AttentionStore layerCopy(1, config_.nHeads, length, StorePlan{});
    ContactHead contacts(contactWeight_, contactBias_, config_.nHeads, 1, length - 2);
    const AttentionMask mask{{}, false};
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    Matrix x = embed(ids);
    for (int l = 0; l < config_.nLayers; ++l) {
        progress.step(l, config_.nLayers, "layer " + std::to_string(l + 1) + " of " + std::to_string(config_.nLayers));
        layers_[static_cast<std::size_t>(l)].forward(x, mask, {&out.result.attention, l, &progress, &layerCopy});
        contacts.addLayer(l, layerCopy);
    }
    out.contacts = contacts.probabilities();
    out.logits = logits(std::move(x));
    progress.report(config_.nLayers, config_.nLayers, "done");
    return out;
}

ModelFamilyEntry esmFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        EsmConfig c = readEsmConfig(config);
        const bool listed = config.has("vocab"); // a format's own vocabulary (fair-esm), else vocab.txt
        ProteinAlphabet alphabet = listed ? ProteinAlphabet::fromTokens(config.strings("vocab"), config.where() + ": 'vocab'")
                                          : readVocab(source.directory / "vocab.txt");
        if (config.has("vocab_size"))
            check<FormatError>(config.positiveInt("vocab_size") == alphabet.size(),
                               config.where() + ": 'vocab_size' is " + std::to_string(config.positiveInt("vocab_size")) + " but "
                                   + (listed ? "'vocab'" : "vocab.txt") + " has " + std::to_string(alphabet.size()) + " tokens");
        ModelWeights file = source.takeTensors();
        TensorMap tensors = layersToEncoderNames(std::move(file.tensors), c.encoder, file.source);
        auto weights = std::make_shared<const Weights>(std::move(tensors), file.source);
        return std::make_shared<const EsmModel>(std::move(c.encoder), c.options, std::move(alphabet), std::move(weights));
    };
    const auto describe = [](const Model& model, nlohmann::json& info) {
        const auto& m = dynamic_cast<const EsmModel&>(model);
        info["vocab_size"] = m.alphabet().size();
        info["max_residues"] = m.encoderConfig().maxLen - 2;
        info["token_dropout"] = m.options().tokenDropout;
    };
    return {"esm", "esm", load, describe};
}

} // namespace attn
