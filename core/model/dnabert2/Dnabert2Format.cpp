// The `dnabert2` family: DNABERT-2 (Zhou et al., ICLR 2024) as its Hugging Face directory holds it,
// "MosaicBERT" (bert_layers.py, whose plain PyTorch path is the reference): word + token type 0
// embeddings and a LayerNorm, no positions but ALiBi's linear bias on every head's scores (its
// slopes including the rule for a head count that is no power of two), post-LN layers with packed
// Wqkv and a GELU-gated feed-forward (gated_layers without a bias, wo with one), then
// BertForMaskedLM's head tied to the embeddings, or BertForSequenceClassification's pooler and
// classifier. Tokens are BPE merges from tokenizer.json. Recognised by config.json's auto_map naming
// bert_layers, or by alibi_starting_size (the first upload also said "model_type": "bert").

#include "checkpoint/ModelWeights.h"
#include "model/ModelFamilyTable.h"
#include "model/WeightViews.h"
#include "model/torch_encoder/EncoderModel.h"
#include "model/tokenizers/TokenizerJson.h"
#include "util/Error.h"

namespace attn {
namespace {

ModelConfig readDnabert2Config(const ConfigReader& r, const std::filesystem::path& directory, bool maskedLm)
{
    ModelConfig c;
    c.family = "dnabert2";
    readHuggingFaceEncoder(r, c);
    c.normFirst = false;
    c.layerNormEps = r.numberOr("layer_norm_eps", 1e-12f);
    c.positional = Positional::Alibi;
    c.maxLen = r.positiveInt("max_position_embeddings"); // longer inputs: windows (bert_layers.py would widen its ALiBi table)
    c.typeVocab = r.positiveIntOr("type_vocab_size", 2);
    c.embedNorm = true;
    c.gatedFeedforward = true;
    c.feedforwardInBias = false;
    c.maskedLm = maskedLm;
    c.pooler = !maskedLm;
    if (!maskedLm)
        c.labels = readHuggingFaceLabels(r);
    c.tokenizer = readBpeTokenizerJson(directory / "tokenizer.json");
    if (r.has("vocab_size"))
        check<FormatError>(r.positiveInt("vocab_size") == static_cast<int>(c.tokenizer.vocab.size()),
                           r.where() + ": 'vocab_size' is " + std::to_string(r.positiveInt("vocab_size")) + " but tokenizer.json has "
                               + std::to_string(c.tokenizer.vocab.size()) + " tokens");
    return c;
}

/// Embeddings: token type 0 folded into every word embedding (every input is segment 0); the
/// token-type table is kept under its name for the parameter count only.
void embeddingsToEncoderNames(TensorMap& in, TensorMap& out, const ModelConfig& c, const std::string& file)
{
    const std::int64_t d = c.dModel, v = static_cast<std::int64_t>(c.tokenizer.vocab.size());
    const std::string e = "bert.embeddings.";
    Tensor words = takeTensor(in, e + "word_embeddings.weight", {v, d}, file);
    Tensor type = takeTensor(in, e + "token_type_embeddings.weight", {c.typeVocab, d}, file);
    for (std::int64_t t = 0; t < v; ++t)
        for (std::int64_t i = 0; i < d; ++i)
            words.data[static_cast<std::size_t>(t * d + i)] += type.data[static_cast<std::size_t>(i)];
    out["embed.weight"] = std::move(words);
    out[e + "token_type_embeddings.weight"] = std::move(type);
    out["embed_norm.weight"] = takeTensor(in, e + "LayerNorm.weight", {d}, file);
    out["embed_norm.bias"] = takeTensor(in, e + "LayerNorm.bias", {d}, file);
}

TensorMap toEncoderNames(TensorMap in, const ModelConfig& c, const std::string& file)
{
    const std::int64_t d = c.dModel, ff = c.dimFeedforward;
    TensorMap out;
    embeddingsToEncoderNames(in, out, c, file);
    const auto take = [&](const std::string& name, std::vector<std::int64_t> shape) { return takeTensor(in, name, shape, file); };
    for (int i = 0; i < c.nLayers; ++i) {
        const std::string b = "bert.encoder.layer." + std::to_string(i) + ".", t = "encoder.layers." + std::to_string(i) + ".";
        out[t + "self_attn.in_proj_weight"] = take(b + "attention.self.Wqkv.weight", {3 * d, d});
        out[t + "self_attn.in_proj_bias"] = take(b + "attention.self.Wqkv.bias", {3 * d});
        out[t + "self_attn.out_proj.weight"] = take(b + "attention.output.dense.weight", {d, d});
        out[t + "self_attn.out_proj.bias"] = take(b + "attention.output.dense.bias", {d});
        out[t + "norm1.weight"] = take(b + "attention.output.LayerNorm.weight", {d});
        out[t + "norm1.bias"] = take(b + "attention.output.LayerNorm.bias", {d});
        out[t + "linear1.weight"] = take(b + "mlp.gated_layers.weight", {2 * ff, d});
        out[t + "linear2.weight"] = take(b + "mlp.wo.weight", {d, ff});
        out[t + "linear2.bias"] = take(b + "mlp.wo.bias", {d});
        out[t + "norm2.weight"] = take(b + "mlp.layernorm.weight", {d});
        out[t + "norm2.bias"] = take(b + "mlp.layernorm.bias", {d});
    }
    bertHeadToEncoderNames(in, out, c, file);
    return out;
}

} // namespace

ModelFamilyEntry dnabert2Family()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        ModelWeights file = source.takeTensors();
        const bool maskedLm = file.tensors.count("classifier.weight") == 0; // its config names no architecture
        ModelConfig c = readDnabert2Config(config, source.directory, maskedLm);
        TensorMap tensors = toEncoderNames(std::move(file.tensors), c, file.source);
        return std::make_shared<const EncoderModel>(std::move(c), std::make_shared<const Weights>(std::move(tensors), file.source));
    };
    return {"dnabert2", "", load, describeSequenceModel, {"bert_layers"}};
}

} // namespace attn
