#include "RandomModel.h"

#include "io/SafeTensors.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace attn::test {

std::filesystem::path writeRandomModel(const std::filesystem::path& dir, const RandomModelShape& s)
{
    std::filesystem::create_directories(dir);
    const int vocab = 7, d = s.dModel, ff = s.feedforward;
    std::vector<std::string> labels;
    for (int i = 0; i < s.labels; ++i)
        labels.push_back("class " + std::to_string(i));
    const nlohmann::json config{{"family", "torch_encoder"}, {"d_model", d}, {"n_heads", s.heads}, {"n_layers", s.layers},
                                {"dim_feedforward", ff}, {"activation", "relu"}, {"norm_first", false}, {"layer_norm_eps", 1e-5},
                                {"positional", "sinusoidal"}, {"max_len", s.maxLen}, {"embed_scale", 1.0}, {"final_norm", false},
                                {"labels", labels},
                                {"tokenizer", {{"type", "char"}, {"vocab", {"[PAD]", "[CLS]", "[UNK]", "A", "C", "G", "T"}},
                                               {"cls", "[CLS]"}, {"pad", "[PAD]"}, {"unk", "[UNK]"}, {"uppercase", true}}}};
    std::ofstream(dir / "config.json") << config.dump();
    TensorMap t;
    const auto add = [&](const std::string& name, std::vector<std::int64_t> shape) {
        std::int64_t n = 1;
        for (auto e : shape)
            n *= e;
        std::vector<float> data(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = 0.05f * static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.025f;
        t[name] = Tensor{std::move(shape), std::move(data)};
    };
    add("embed.weight", {vocab, d});
    for (int i = 0; i < s.layers; ++i) {
        const std::string p = "encoder.layers." + std::to_string(i) + ".";
        add(p + "self_attn.in_proj_weight", {3 * d, d});
        add(p + "self_attn.in_proj_bias", {3 * d});
        add(p + "self_attn.out_proj.weight", {d, d});
        add(p + "self_attn.out_proj.bias", {d});
        add(p + "linear1.weight", {ff, d});
        add(p + "linear1.bias", {ff});
        add(p + "linear2.weight", {d, ff});
        add(p + "linear2.bias", {d});
        for (const char* n : {"norm1", "norm2"}) {
            add(p + n + ".weight", {d});
            add(p + n + ".bias", {d});
        }
    }
    add("classifier.weight", {s.labels, d});
    add("classifier.bias", {s.labels});
    writeSafeTensors(dir / "model.safetensors", t);
    return dir;
}

} // namespace attn::test
