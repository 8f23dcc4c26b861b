#include "model/fairesm/FairEsmNames.h"

#include <array>
#include <utility>

namespace attn::fairesm {
namespace {

using Rename = std::pair<const char*, const char*>;

/// Inside layers.N.: fair-esm's TransformerLayer names, Hugging Face's EsmLayer names.
constexpr std::array<Rename, 9> kLayer{{{"self_attn.q_proj.", "attention.self.query."},
                                        {"self_attn.k_proj.", "attention.self.key."},
                                        {"self_attn.v_proj.", "attention.self.value."},
                                        {"self_attn.rot_emb.", "attention.self.rotary_embeddings."},
                                        {"self_attn.out_proj.", "attention.output.dense."},
                                        {"self_attn_layer_norm.", "attention.LayerNorm."},
                                        {"fc1.", "intermediate.dense."},
                                        {"fc2.", "output.dense."},
                                        {"final_layer_norm.", "LayerNorm."}}};

/// Outside the layers.
constexpr std::array<Rename, 8> kTop{{{"embed_tokens.", "esm.embeddings.word_embeddings."},
                                      {"embed_positions.", "esm.embeddings.position_embeddings."},
                                      {"emb_layer_norm_before.", "esm.embeddings.layer_norm."},
                                      {"emb_layer_norm_after.", "esm.encoder.emb_layer_norm_after."},
                                      {"contact_head.", "esm.contact_head."},
                                      {"lm_head.dense.", "lm_head.dense."},
                                      {"lm_head.layer_norm.", "lm_head.layer_norm."},
                                      {"lm_head.bias", "lm_head.bias"}}};

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::string renamed(const std::string& name, const Rename* begin, const Rename* end, const std::string& prefix)
{
    for (const Rename* r = begin; r != end; ++r)
        if (startsWith(name, r->first))
            return prefix + r->second + name.substr(std::char_traits<char>::length(r->first));
    return "";
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

} // namespace

std::string afterEach(const std::string& s, const std::string& token, const std::string& contains)
{
    if (s.find(contains) == std::string::npos)
        return s;
    std::string out;
    std::size_t at = s.find(token);
    while (at != std::string::npos) { // every piece after the first, joined without the token
        const std::size_t next = s.find(token, at + token.size());
        out += s.substr(at + token.size(), next == std::string::npos ? std::string::npos : next - at - token.size());
        at = next;
    }
    return out;
}

std::string upgradeV1(const std::string& name)
{
    return afterEach(afterEach(name, "sentence_encoder.", "sentence_encoder"), "encoder.", "encoder");
}

std::string swapRowColumn(const std::string& name)
{
    return name.find("row") != std::string::npos ? replaceAll(name, "row", "column") : replaceAll(name, "column", "row");
}

std::string upgradeV2(const std::string& name)
{
    for (const char* prefix : {"encoder.sentence_encoder.", "encoder."})
        if (startsWith(name, prefix))
            return name.substr(std::char_traits<char>::length(prefix));
    return name;
}

std::string argumentName(const std::string& key)
{
    return afterEach(key, "encoder_", "encoder");
}

std::string huggingFaceName(const std::string& name)
{
    if (name == "lm_head.weight")
        return "lm_head.decoder.weight"; // tied to embed_tokens
    if (!startsWith(name, "layers."))
        return renamed(name, kTop.data(), kTop.data() + kTop.size(), "");
    const std::size_t dot = name.find('.', 7);
    if (dot == std::string::npos)
        return "";
    const std::string layer = name.substr(7, dot - 7);
    return renamed(name.substr(dot + 1), kLayer.data(), kLayer.data() + kLayer.size(), "esm.encoder.layer." + layer + ".");
}

} // namespace attn::fairesm
