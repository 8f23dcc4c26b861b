#include "model/esm/EsmModel.h"

#include "checkpoint/ModelWeights.h"

#include "model/WeightViews.h"
#include "io/BinaryFile.h"
#include "io/JsonFile.h"
#include "model/layers/ContactHead.h"
#include "model/layers/EncoderStack.h"
#include "model/tokenizers/ProteinAlphabet.h"
#include "model/ModelFamilyTable.h"
#include "model/RunMemory.h"
#include "tensor/Ops.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <tuple>

namespace attn {
namespace {

/// vocab.txt: one token per line, id = line number - 1.
std::vector<std::string> readVocab(const std::filesystem::path& path)
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
    return tokens;
}

/// True when the tokenizer's files beside config.json (special_tokens_map.json,
/// tokenizer_config.json) name an eos_token: Hugging Face's EsmTokenizer appends <eos> only then.
bool namesEosToken(const std::filesystem::path& directory)
{
    for (const char* name : {"special_tokens_map.json", "tokenizer_config.json"}) {
        if (!isRegularFile(directory / name))
            continue;
        const nlohmann::json j = readJsonObject(directory / name);
        if (j.contains("eos_token") && !j.at("eos_token").is_null())
            return true;
    }
    return false;
}

/// The tokenizer of an ESM vocabulary. Residue letters (checked as ProteinAlphabet does): one
/// token per residue, <eos> last, as fair-esm and every ESM checkpoint. DNA k-mers (the Nucleotide
/// Transformer): greedy longest match, <eos> last only if `eos` (namesEosToken).
TokenizerConfig esmTokenizer(std::vector<std::string> tokens, const std::string& where, bool eos)
{
    TokenizerConfig t;
    const bool dna = lettersOfVocabulary(tokens) == Letters::Dna;
    if (!dna)
        ProteinAlphabet::fromTokens(tokens, where); // the specials and one letter per residue token
    t.vocab = std::move(tokens);
    for (const char* special : {"<cls>", "<pad>", "<unk>", "<mask>"})
        check<FormatError>(std::find(t.vocab.begin(), t.vocab.end(), special) != t.vocab.end(),
                           where + ": the special token '" + std::string(special) + "' is missing");
    t.cls = "<cls>";
    t.pad = "<pad>";
    t.unk = "<unk>";
    t.sep = !dna || eos ? "<eos>" : "";
    check<FormatError>(t.sep.empty() || std::find(t.vocab.begin(), t.vocab.end(), t.sep) != t.vocab.end(),
                       where + ": the special token '<eos>' is missing");
    t.type = dna ? "greedy" : "char";
    for (const std::string& token : t.vocab)
        if (dna && token.front() != '<')
            t.k = std::max(t.k, static_cast<int>(token.size()));
    return t;
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
            bool bias;
        };
        const bool fb = c.feedforwardInBias;
        const Rename renames[] = {{"attention.output.dense", "self_attn.out_proj", d, d, true},
                                  {"attention.LayerNorm", "norm1", d, 0, true},
                                  {"intermediate.dense", "linear1", (c.gatedFeedforward ? 2 : 1) * ff, d, fb},
                                  {"output.dense", "linear2", d, ff, fb},
                                  {"LayerNorm", "norm2", d, 0, true}};
        for (const Rename& r : renames) {
            const std::vector<std::int64_t> shape = r.cols ? std::vector<std::int64_t>{r.rows, r.cols} : std::vector<std::int64_t>{r.rows};
            out[t + r.to + ".weight"] = get(b + r.from + ".weight", shape);
            if (r.bias)
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
    c.gatedFeedforward = r.booleanOr("use_glu_in_ffn", false); // the Nucleotide Transformer v2: SiLU-gated, whatever hidden_act says
    readHuggingFaceEncoder(r, c, !c.gatedFeedforward);
    if (c.gatedFeedforward)
        c.activation = Activation::Silu;
    c.feedforwardInBias = c.feedforwardOutBias = r.booleanOr("add_bias_fnn", true);
    c.maskedLm = true;
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

EsmModel::EsmModel(ModelConfig config, EsmOptions options, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), options_(options), weights_(std::move(weights)), tokenizer_(config_.tokenizer),
      letters_(lettersOfVocabulary(config_.tokenizer.vocab)),
      wordEmbedding_(matrixOf(*weights_, "esm.embeddings.word_embeddings.weight", tokenizer_.vocabSize(), config_.dModel)),
      finalNorm_(readNorm(*weights_, "esm.encoder.emb_layer_norm_after", config_.dModel)),
      lmHead_(*weights_, config_.dModel, tokenizer_.vocabSize(), config_.layerNormEps, wordEmbedding_)
{
    const auto idOf = [&](const std::string& token) {
        const auto& v = config_.tokenizer.vocab;
        return static_cast<int>(std::find(v.begin(), v.end(), token) - v.begin());
    };
    maskId_ = idOf("<mask>");
    padId_ = idOf("<pad>");
    if (letters_ == Letters::Protein && weights_->has("esm.contact_head.regression.weight"))
        contactRegression_.emplace(matrixOf(*weights_, "esm.contact_head.regression.weight", 1, config_.nLayers * config_.nHeads).row(0).transpose(),
                                   vectorOf(*weights_, "esm.contact_head.regression.bias", 1)(0));
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
    Encoding e = encode(letters);
    if (unknown)
        *unknown = e.unknownCount;
    return std::move(e.ids);
}

Matrix EsmModel::embed(const std::vector<int>& ids) const
{
    const auto length = static_cast<Index>(ids.size());
    Matrix x(length, config_.dModel);
    Index masked = 0;
    for (Index p = 0; p < length; ++p) {
        const int id = ids[static_cast<std::size_t>(p)];
        masked += id == maskId_ ? 1 : 0;
        x.row(p) = id == maskId_ && options_.tokenDropout ? RowVector::Zero(config_.dModel) : RowVector(wordEmbedding_.row(id));
    }
    if (options_.tokenDropout) // as trained: 15 % masked, 80 % of those as <mask>
        x *= (1.0f - 0.15f * 0.8f) / (1.0f - static_cast<float>(masked) / static_cast<float>(length));
    if (positionEmbedding_)
        x += positionEmbedding_->middleRows(padId_ + 1, length);
    if (embedNorm_)
        layerNormRows(x, embedNorm_->gamma, embedNorm_->beta, config_.layerNormEps);
    return x;
}

void EsmModel::planRun(MemoryPlan& plan, Index length, const StorePlan& store) const
{
    planEncoderRun(plan, config_, length, store);
    const auto n = static_cast<std::size_t>(length);
    if (letters_ == Letters::Protein)
        plan.add("contacts", ContactHead::bytesNeeded(config_.nLayers, config_.nHeads, innerTokens(length)));
    plan.add("logits", n * static_cast<std::size_t>(tokenizer_.vocabSize()) * sizeof(float));
}

SequenceRun EsmModel::run(const std::vector<int>& ids, const RunOptions& options) const
{
    const auto length = static_cast<Index>(ids.size());
    const std::string what = letters_ == Letters::Protein ? " residues" : " tokens";
    check<ShapeError>(innerTokens(length) >= 1, "the input has no" + what);
    check<ShapeError>(length <= config_.maxLen, "the input has " + std::to_string(innerTokens(length)) + what + " but the model takes at most "
                                                    + std::to_string(innerTokens(config_.maxLen)));
    for (int id : ids)
        check<ShapeError>(id >= 0 && id < tokenizer_.vocabSize(), "token id " + std::to_string(id) + " is outside the vocabulary");
    MemoryPlan plan("the run on " + std::to_string(innerTokens(length)) + what);
    planRun(plan, length, options.store);
    plan.check(options.store.budgetBytes); // before anything is allocated

    SequenceRun out;
    out.result.ids = ids;
    out.result.attention = AttentionStore(config_.nLayers, config_.nHeads, length, options.store);
    std::optional<RunContacts> contacts;
    if (letters_ == Letters::Protein)
        contacts.emplace(contactRegression_, config_.nLayers, config_.nHeads, innerTokens(length));
    const AttentionMask mask{{}, false, {}};
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    const LayerRun run{out.result.attention, options, contacts ? &*contacts : nullptr};
    Matrix x = resumesFromCache(run) ? Matrix() : embed(ids);
    runLayers(layers_, x, mask, run);
    if (contacts)
        std::tie(out.contacts, out.contactSource) = contacts->result();
    layerNormRows(x, finalNorm_.gamma, finalNorm_.beta, config_.layerNormEps);
    out.logits = lmHead_.logits(x);
    out.result.hidden = std::move(x);
    progress.report(config_.nLayers, config_.nLayers, "done");
    return out;
}

ModelFamilyEntry esmFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        EsmConfig c = readEsmConfig(config);
        const bool listed = config.has("vocab"); // a format's own vocabulary (fair-esm), else vocab.txt
        const std::string where = listed ? config.where() + ": 'vocab'" : (source.directory / "vocab.txt").string();
        c.encoder.tokenizer = esmTokenizer(listed ? config.strings("vocab") : readVocab(source.directory / "vocab.txt"), where,
                                           !listed && namesEosToken(source.directory));
        const auto size = static_cast<int>(c.encoder.tokenizer.vocab.size());
        if (config.has("vocab_size"))
            check<FormatError>(config.positiveInt("vocab_size") == size,
                               config.where() + ": 'vocab_size' is " + std::to_string(config.positiveInt("vocab_size")) + " but "
                                   + (listed ? "'vocab'" : "vocab.txt") + " has " + std::to_string(size) + " tokens");
        ModelWeights file = source.takeTensors();
        TensorMap tensors = layersToEncoderNames(std::move(file.tensors), c.encoder, file.source);
        auto weights = std::make_shared<const Weights>(std::move(tensors), file.source);
        return std::make_shared<const EsmModel>(std::move(c.encoder), c.options, std::move(weights));
    };
    const auto describe = [](const Model& model, nlohmann::json& info) {
        const auto& m = dynamic_cast<const EsmModel&>(model);
        info["vocab_size"] = static_cast<int>(m.vocabulary().size());
        info["tokenizer"] = m.encoderConfig().tokenizer.type;
        info[m.letters() == Letters::Protein ? "max_residues" : "max_bases"] = m.maxLetters();
        info["gated_feedforward"] = m.encoderConfig().gatedFeedforward;
        info["token_dropout"] = m.options().tokenDropout;
    };
    return {"esm", "esm", load, describe, {"modeling_esm"}};
}

} // namespace attn
