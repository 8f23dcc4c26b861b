#include "model/bert/BertFormat.h"

#include "checkpoint/ModelWeights.h"

#include "model/WeightViews.h"
#include "io/BinaryFile.h"
#include "model/torch_encoder/EncoderModel.h"
#include "model/ModelFamilyTable.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include "model/SequenceModel.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace attn {
namespace {

using json = nlohmann::json;

} // namespace

std::vector<std::string> readHuggingFaceLabels(const ConfigReader& r)
{
    const json& j = r.raw();
    const std::string& where = r.where();
    std::vector<std::string> labels;
    if (j.contains("id2label")) {
        const json& m = j.at("id2label");
        check<FormatError>(m.is_object() && !m.empty(), where + ": 'id2label' must be a non-empty object");
        std::map<int, std::string> byId;
        for (const auto& [key, value] : m.items()) {
            int id = -1;
            try {
                id = std::stoi(key);
            } catch (const std::exception&) {
            }
            check<FormatError>(id >= 0 && value.is_string(), where + ": 'id2label' must map \"0\", \"1\", ... to names");
            byId[id] = value.get<std::string>();
        }
        check<FormatError>(byId.rbegin()->first == static_cast<int>(byId.size()) - 1,
                           where + ": 'id2label' ids must be 0 to " + std::to_string(byId.size() - 1));
        for (const auto& [id, name] : byId)
            labels.push_back(name);
        return labels;
    }
    const int n = r.positiveIntOr("num_labels", 2);
    for (int i = 0; i < n; ++i)
        labels.push_back("LABEL_" + std::to_string(i));
    return labels;
}

namespace {

/// vocab.txt: one token per line, id = line number - 1.
std::vector<std::string> readVocabLines(const std::filesystem::path& path)
{
    std::istringstream in(readWholeFile(path));
    std::vector<std::string> vocab;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        vocab.push_back(line);
    }
    check<FormatError>(!vocab.empty(), path.string() + ": empty vocabulary");
    for (const char* special : {"[CLS]", "[SEP]", "[PAD]", "[UNK]"})
        check<FormatError>(std::find(vocab.begin(), vocab.end(), special) != vocab.end(),
                           path.string() + ": special token '" + std::string(special) + "' is not in the vocabulary");
    return vocab;
}

bool isSpecial(const std::string& token)
{
    return token.size() > 1 && token.front() == '[' && token.back() == ']';
}

/// DNA: DNABERT-style k-mers (k = 1, 3..6) over ACGTN, overlapping. Protein (ProtBert): one
/// amino-acid letter per token, U Z O B read as X when the vocabulary has X (as ProtTrans
/// prepares its input). Other WordPiece vocabularies are refused.
void readTokens(TokenizerConfig& t, const std::string& where)
{
    const Letters letters = lettersOfVocabulary(t.vocab);
    std::set<std::size_t> lengths;
    for (std::size_t i = 0; i < t.vocab.size(); ++i) {
        const std::string& token = t.vocab[i];
        if (isSpecial(token))
            continue;
        const bool ok = letters == Letters::Dna ? !token.empty() : token.size() == 1 && std::isupper(static_cast<unsigned char>(token[0]));
        check<FormatError>(ok, where + ":" + std::to_string(i + 1) + ": token '" + token
                                   + "' is neither a DNA k-mer nor one amino-acid letter (DNABERT-style k-mer and ProtBert-style "
                                     "residue vocabularies are supported)");
        lengths.insert(token.size());
    }
    check<FormatError>(lengths.size() == 1, where + ": the tokens must all have one length (k-mers of one k, or single letters)");
    t.k = static_cast<int>(*lengths.begin());
    check<FormatError>(t.k == 1 || (t.k >= 3 && t.k <= 6), where + ": k-mers of length " + std::to_string(t.k)
                                                                 + " (supported: 1 and 3 to 6)");
    t.type = t.k == 1 ? "char" : "kmer";
    if (letters == Letters::Protein && std::find(t.vocab.begin(), t.vocab.end(), "X") != t.vocab.end()) {
        t.replaceFrom = "UZOB";
        t.replaceTo = "XXXX";
    }
}

TokenizerConfig readVocab(const std::filesystem::path& path)
{
    TokenizerConfig t;
    t.vocab = readVocabLines(path);
    readTokens(t, path.string());
    t.cls = "[CLS]";
    t.sep = "[SEP]";
    t.pad = "[PAD]";
    t.unk = "[UNK]";
    t.uppercase = true;
    return t;
}

/// True when config.json's "architectures" names BertForMaskedLM (ProtBert, DNABERT-1's base).
bool isMaskedLm(const ConfigReader& r)
{
    if (!r.has("architectures"))
        return false;
    const std::vector<std::string> names = r.strings("architectures");
    return std::find(names.begin(), names.end(), "BertForMaskedLM") != names.end();
}

/// Takes tensors by their BERT names, shape-checked and moved out of the map read (takeTensor).
class Source {
public:
    Source(TensorMap& t, std::string file) : t_(t), file_(std::move(file)) {}
    Tensor get(const std::string& name, const std::vector<std::int64_t>& shape) { return takeTensor(t_, name, shape, file_); }
    Tensor packed(const std::string& a, const std::string& b, const std::string& c, const std::vector<std::int64_t>& shape)
    {
        return takePacked(t_, a, b, c, shape, file_);
    }

private:
    TensorMap& t_;
    std::string file_;
};

/// BertForSequenceClassification's pooler and classifier.
void classifierToEncoderNames(Source& s, TensorMap& out, const ModelConfig& c)
{
    const std::int64_t d = c.dModel;
    out["pooler.weight"] = s.get("bert.pooler.dense.weight", {d, d});
    out["pooler.bias"] = s.get("bert.pooler.dense.bias", {d});
    out["classifier.weight"] = s.get("classifier.weight", {c.numLabels(), d});
    out["classifier.bias"] = s.get("classifier.bias", {c.numLabels()});
}

/// BertForMaskedLM's head (cls.predictions.*) under LmHead's names. The decoder is tied to the
/// word embeddings: kept only when the file stores one that differs. A pooler a pre-training
/// checkpoint still holds is kept for the parameter count, unused.
void lmHeadToEncoderNames(Source& s, TensorMap& in, TensorMap& out, const ModelConfig& c, std::int64_t v)
{
    const std::int64_t d = c.dModel;
    const std::string p = "cls.predictions.";
    out["lm_head.dense.weight"] = s.get(p + "transform.dense.weight", {d, d});
    out["lm_head.dense.bias"] = s.get(p + "transform.dense.bias", {d});
    out["lm_head.layer_norm.weight"] = s.get(p + "transform.LayerNorm.weight", {d});
    out["lm_head.layer_norm.bias"] = s.get(p + "transform.LayerNorm.bias", {d});
    out["lm_head.bias"] = s.get(in.count(p + "bias") ? p + "bias" : p + "decoder.bias", {v});
    if (in.count(p + "decoder.weight")) {
        Tensor decoder = s.get(p + "decoder.weight", {v, d});
        if (decoder.data != out.at("embed.weight").data)
            out["lm_head.decoder.weight"] = std::move(decoder);
    }
    if (in.count("bert.pooler.dense.weight")) {
        out["bert.pooler.dense.weight"] = s.get("bert.pooler.dense.weight", {d, d});
        out["bert.pooler.dense.bias"] = s.get("bert.pooler.dense.bias", {d});
    }
}

} // namespace

void readHuggingFaceEncoder(const ConfigReader& r, ModelConfig& c, bool checkActivation)
{
    c.dModel = r.positiveInt("hidden_size");
    c.nHeads = r.positiveInt("num_attention_heads");
    c.nLayers = r.positiveInt("num_hidden_layers");
    c.dimFeedforward = r.positiveInt("intermediate_size");
    const std::string act = r.stringOr("hidden_act", "gelu");
    check<FormatError>(act == "gelu" || !checkActivation, r.where() + ": 'hidden_act' is \"" + act + "\"; only \"gelu\" (exact erf form) is supported");
    c.activation = Activation::Gelu;
    check<FormatError>(c.dModel % c.nHeads == 0, r.where() + ": hidden_size (" + std::to_string(c.dModel)
                                                     + ") is not divisible by num_attention_heads (" + std::to_string(c.nHeads) + ")");
}

ModelConfig readBertConfig(const ConfigReader& r, const std::filesystem::path& configPath)
{
    const std::string& where = r.where();
    ModelConfig c;
    c.family = "bert";
    readHuggingFaceEncoder(r, c);
    const std::string pos = r.stringOr("position_embedding_type", "absolute");
    check<FormatError>(pos == "absolute", where + ": 'position_embedding_type' is \"" + pos + "\"; only \"absolute\" is supported");
    c.normFirst = false;
    c.layerNormEps = r.numberOr("layer_norm_eps", 1e-12f);
    c.positional = Positional::Learned;
    c.maxLen = r.positiveInt("max_position_embeddings");
    c.typeVocab = r.positiveIntOr("type_vocab_size", 2);
    c.embedNorm = true;
    c.maskedLm = isMaskedLm(r);
    c.pooler = !c.maskedLm;
    if (!c.maskedLm)
        c.labels = readHuggingFaceLabels(r);
    c.tokenizer = readVocab(configPath.parent_path() / "vocab.txt");
    if (r.has("vocab_size")) {
        const int size = r.positiveInt("vocab_size");
        check<FormatError>(size == static_cast<int>(c.tokenizer.vocab.size()),
                           where + ": 'vocab_size' is " + std::to_string(size) + " but vocab.txt has "
                               + std::to_string(c.tokenizer.vocab.size()) + " tokens");
    }
    return c;
}

TensorMap bertToEncoderTensors(TensorMap tensors, const ModelConfig& c, const std::string& file)
{
    // word embeddings first, so that a tied decoder can be compared with them
    Source s(tensors, file);
    const std::int64_t d = c.dModel, ff = c.dimFeedforward, v = static_cast<std::int64_t>(c.tokenizer.vocab.size());
    TensorMap out;
    const std::string e = "bert.embeddings.";
    out["embed.weight"] = s.get(e + "word_embeddings.weight", {v, d});
    Tensor pos = s.get(e + "position_embeddings.weight", {c.maxLen, d});
    Tensor type = s.get(e + "token_type_embeddings.weight", {c.typeVocab, d});
    for (std::int64_t p = 0; p < c.maxLen; ++p) // every input is segment 0: fold its embedding in
        for (std::int64_t i = 0; i < d; ++i)
            pos.data[static_cast<std::size_t>(p * d + i)] += type.data[static_cast<std::size_t>(i)];
    out["pos_embed.weight"] = std::move(pos);
    out[e + "token_type_embeddings.weight"] = std::move(type); // kept for the parameter count only
    out["embed_norm.weight"] = s.get(e + "LayerNorm.weight", {d});
    out["embed_norm.bias"] = s.get(e + "LayerNorm.bias", {d});
    for (int i = 0; i < c.nLayers; ++i) {
        const std::string b = "bert.encoder.layer." + std::to_string(i) + ".";
        const std::string t = "encoder.layers." + std::to_string(i) + ".";
        const std::string a = b + "attention.self.";
        out[t + "self_attn.in_proj_weight"] = s.packed(a + "query.weight", a + "key.weight", a + "value.weight", {d, d});
        out[t + "self_attn.in_proj_bias"] = s.packed(a + "query.bias", a + "key.bias", a + "value.bias", {d});
        out[t + "self_attn.out_proj.weight"] = s.get(b + "attention.output.dense.weight", {d, d});
        out[t + "self_attn.out_proj.bias"] = s.get(b + "attention.output.dense.bias", {d});
        out[t + "norm1.weight"] = s.get(b + "attention.output.LayerNorm.weight", {d});
        out[t + "norm1.bias"] = s.get(b + "attention.output.LayerNorm.bias", {d});
        out[t + "linear1.weight"] = s.get(b + "intermediate.dense.weight", {ff, d});
        out[t + "linear1.bias"] = s.get(b + "intermediate.dense.bias", {ff});
        out[t + "linear2.weight"] = s.get(b + "output.dense.weight", {d, ff});
        out[t + "linear2.bias"] = s.get(b + "output.dense.bias", {d});
        out[t + "norm2.weight"] = s.get(b + "output.LayerNorm.weight", {d});
        out[t + "norm2.bias"] = s.get(b + "output.LayerNorm.bias", {d});
    }
    bertHeadToEncoderNames(tensors, out, c, file);
    return out;
}

void bertHeadToEncoderNames(TensorMap& in, TensorMap& out, const ModelConfig& c, const std::string& file)
{
    Source s(in, file);
    if (c.maskedLm)
        lmHeadToEncoderNames(s, in, out, c, static_cast<std::int64_t>(c.tokenizer.vocab.size()));
    else
        classifierToEncoderNames(s, out, c);
}

ModelFamilyEntry bertFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        if (config.has("alibi_starting_size")) // DNABERT-2's first upload said "model_type": "bert"
            return modelFamily("dnabert2").load(source, config);
        ModelConfig c = readBertConfig(config, source.directory / "config.json");
        ModelWeights file = source.takeTensors();
        TensorMap tensors = bertToEncoderTensors(std::move(file.tensors), c, file.source);
        return std::make_shared<const EncoderModel>(std::move(c), std::make_shared<const Weights>(std::move(tensors), file.source));
    };
    return {"bert", "bert", load, describeSequenceModel, {}};
}

} // namespace attn
