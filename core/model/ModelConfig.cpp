#include "model/ModelConfig.h"

#include "model/ModelFamilyTable.h"
#include "util/Error.h"

#include <algorithm>

namespace attn {
namespace {

TokenizerConfig readTokenizer(const ConfigReader& top)
{
    const ConfigReader r = top.object("tokenizer");
    const std::string& where = top.where();
    TokenizerConfig t;
    t.type = r.oneOf("type", {"char", "kmer"});
    if (t.type == "kmer")
        t.k = r.positiveInt("k");
    t.sep = r.stringOr("sep", "");
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

ModelConfig readTorchEncoderConfig(const ConfigReader& r)
{
    const std::string& where = r.where();
    ModelConfig c;
    c.family = "torch_encoder";
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
    c.tokenizer = readTokenizer(r);
    validate(c, where);
    return c;
}

ModelConfig readEncoderStack(const ConfigReader& r, const std::string& family)
{
    ModelConfig e;
    e.family = family;
    e.dModel = r.positiveInt("d_model");
    e.nHeads = r.positiveInt("n_heads");
    e.nLayers = r.positiveInt("n_layers");
    e.dimFeedforward = r.positiveInt("dim_feedforward");
    e.activation = r.oneOfOr("activation", {"relu", "gelu"}, "gelu") == "gelu" ? Activation::Gelu : Activation::Relu;
    e.normFirst = r.booleanOr("norm_first", true);
    e.layerNormEps = r.numberOr("layer_norm_eps", 1e-5f);
    e.finalNorm = r.booleanOr("final_norm", true);
    e.labels = r.strings("labels");
    e.positional = Positional::None;
    validate(e, r.where());
    return e;
}

std::string activationName(Activation a)
{
    switch (a) {
    case Activation::Relu: return "relu";
    case Activation::Gelu: return "gelu";
    case Activation::Silu: return "silu";
    }
    return "relu";
}

std::string positionalName(Positional p)
{
    switch (p) {
    case Positional::None: return "none";
    case Positional::Sinusoidal: return "sinusoidal";
    case Positional::Learned: return "learned";
    case Positional::Rotary: return "rotary";
    case Positional::Alibi: return "alibi";
    }
    return "?";
}

} // namespace attn
