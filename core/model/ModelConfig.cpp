#include "model/ModelConfig.h"

#include "io/BinaryFile.h"
#include "model/BertFormat.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace attn {
namespace {

using json = nlohmann::json;

/// Reads config keys with messages that name the file and the key.
class ConfigReader {
public:
    ConfigReader(const json& j, std::string where)
        : j_(j), where_(std::move(where)) {}

    const json& value(const std::string& key) const
    {
        check<FormatError>(j_.contains(key), where_ + ": missing key '" + key + "'");
        return j_.at(key);
    }
    int positiveInt(const std::string& key) const
    {
        const json& v = value(key);
        check<FormatError>(v.is_number_integer() && v.get<long long>() > 0 && v.get<long long>() < (1 << 24),
                           where_ + ": '" + key + "' must be a positive integer");
        return v.get<int>();
    }
    float number(const std::string& key) const
    {
        const json& v = value(key);
        check<FormatError>(v.is_number(), where_ + ": '" + key + "' must be a number");
        return v.get<float>();
    }
    bool boolean(const std::string& key) const
    {
        const json& v = value(key);
        check<FormatError>(v.is_boolean(), where_ + ": '" + key + "' must be true or false");
        return v.get<bool>();
    }
    std::string string(const std::string& key) const
    {
        const json& v = value(key);
        check<FormatError>(v.is_string(), where_ + ": '" + key + "' must be a string");
        return v.get<std::string>();
    }
    std::string oneOf(const std::string& key, const std::vector<std::string>& allowed) const
    {
        const std::string s = string(key);
        std::string list;
        for (const auto& a : allowed)
            list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
        check<FormatError>(std::find(allowed.begin(), allowed.end(), s) != allowed.end(),
                           where_ + ": '" + key + "' is \"" + s + "\"; expected one of " + list);
        return s;
    }
    std::vector<std::string> strings(const std::string& key) const
    {
        const json& v = value(key);
        check<FormatError>(v.is_array() && !v.empty(), where_ + ": '" + key + "' must be a non-empty list of strings");
        std::vector<std::string> out;
        for (const auto& s : v) {
            check<FormatError>(s.is_string(), where_ + ": '" + key + "' must be a non-empty list of strings");
            out.push_back(s.get<std::string>());
        }
        return out;
    }
    float numberOr(const std::string& key, float fallback) const { return j_.contains(key) ? number(key) : fallback; }
    bool booleanOr(const std::string& key, bool fallback) const { return j_.contains(key) ? boolean(key) : fallback; }

private:
    const json& j_;
    std::string where_;
};

TokenizerConfig readTokenizer(const ConfigReader& top, const std::string& where)
{
    const json& section = top.value("tokenizer");
    check<FormatError>(section.is_object(), where + ": 'tokenizer' must be an object");
    const ConfigReader r(section, where + ": tokenizer");
    TokenizerConfig t;
    t.type = r.oneOf("type", {"char", "kmer"});
    if (t.type == "kmer")
        t.k = r.positiveInt("k");
    if (section.contains("sep"))
        t.sep = r.string("sep");
    t.vocab = r.strings("vocab");
    t.cls = r.string("cls");
    t.pad = r.string("pad");
    t.unk = r.string("unk");
    t.uppercase = r.booleanOr("uppercase", true);
    for (const auto* special : {&t.cls, &t.pad, &t.unk, &t.sep})
        if (!special->empty())
            check<FormatError>(std::find(t.vocab.begin(), t.vocab.end(), *special) != t.vocab.end(),
                               where + ": tokenizer: special token '" + *special + "' is not in the vocab");
    return t;
}

Positional parsePositional(const std::string& s)
{
    if (s == "sinusoidal")
        return Positional::Sinusoidal;
    if (s == "learned")
        return Positional::Learned;
    if (s == "rotary")
        return Positional::Rotary;
    return Positional::None;
}

void validate(const ModelConfig& c, const std::string& where)
{
    check<FormatError>(c.dModel % c.nHeads == 0, where + ": d_model (" + std::to_string(c.dModel)
                                                     + ") is not divisible by n_heads (" + std::to_string(c.nHeads) + ")");
    check<FormatError>(c.positional != Positional::Rotary || c.headDim() % 2 == 0,
                       where + ": rotary positions need an even head dimension");
    check<FormatError>(c.positional != Positional::Sinusoidal || c.dModel % 2 == 0,
                       where + ": sinusoidal positions need an even d_model");
    check<FormatError>(c.layerNormEps > 0, where + ": 'layer_norm_eps' must be positive");
}

} // namespace

ModelConfig readModelConfig(const std::filesystem::path& path)
{
    const std::string where = path.string();
    const std::string text = readWholeFile(path);
    if (isBertConfig(text))
        return readBertConfig(text, path);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        throw FormatError(where + ": not valid JSON (" + e.what() + ")");
    }
    check<FormatError>(j.is_object(), where + ": must be a JSON object");
    const ConfigReader r(j, where);
    ModelConfig c;
    c.family = r.oneOf("family", {"torch_encoder"});
    c.dModel = r.positiveInt("d_model");
    c.nHeads = r.positiveInt("n_heads");
    c.nLayers = r.positiveInt("n_layers");
    c.dimFeedforward = r.positiveInt("dim_feedforward");
    c.activation = r.oneOf("activation", {"relu", "gelu"}) == "gelu" ? Activation::Gelu : Activation::Relu;
    c.normFirst = r.boolean("norm_first");
    c.layerNormEps = r.numberOr("layer_norm_eps", 1e-5f);
    c.positional = parsePositional(r.oneOf("positional", {"sinusoidal", "learned", "rotary", "none"}));
    c.maxLen = r.positiveInt("max_len");
    c.embedScale = r.numberOr("embed_scale", 1.0f);
    c.finalNorm = r.booleanOr("final_norm", false);
    c.labels = r.strings("labels");
    c.tokenizer = readTokenizer(r, where);
    validate(c, where);
    return c;
}

std::string activationName(Activation a)
{
    return a == Activation::Gelu ? "gelu" : "relu";
}

std::string positionalName(Positional p)
{
    switch (p) {
    case Positional::None: return "none";
    case Positional::Sinusoidal: return "sinusoidal";
    case Positional::Learned: return "learned";
    case Positional::Rotary: return "rotary";
    }
    return "?";
}

} // namespace attn
