#include "model/monai_vit/VitConfig.h"

#include "util/Error.h"

namespace attn {

std::array<int, 3> VitConfig::patchGrid() const
{
    return {imgSize[0] / patchSize[0], imgSize[1] / patchSize[1], imgSize[2] / patchSize[2]};
}

int VitConfig::patches() const
{
    const auto g = patchGrid();
    return g[0] * g[1] * g[2];
}

std::array<int, 3> readSize3(const ConfigReader& r, const std::string& key)
{
    if (r.value(key).is_number())
        return {r.positiveInt(key), r.positiveInt(key), r.positiveInt(key)};
    const auto v = r.positiveInts(key, 3, "one size per spatial axis");
    return {v[0], v[1], v[2]};
}

std::string projectionName(PatchProjection p)
{
    return p == PatchProjection::Conv ? "conv" : "perceptron";
}

std::string positionTableName(PositionTable p)
{
    return p == PositionTable::None ? "none" : p == PositionTable::Learnable ? "learnable" : "sincos";
}

namespace {

void readPatches(const ConfigReader& r, VitConfig& c)
{
    const std::string& where = r.where();
    c.inChannels = r.positiveIntOr("in_channels", 1);
    check<FormatError>(r.nonNegativeIntOr("spatial_dims", 3) == 3, where + ": 'spatial_dims' must be 3 (attnscope runs MONAI's 3D networks)");
    c.imgSize = readSize3(r, "img_size");
    if (r.has("patch_size"))
        c.patchSize = readSize3(r, "patch_size");
    for (std::size_t a = 0; a < 3; ++a)
        check<FormatError>(c.imgSize[a] % c.patchSize[a] == 0, where + ": 'img_size' " + std::to_string(c.imgSize[a])
                                                                   + " is not a multiple of 'patch_size' " + std::to_string(c.patchSize[a]));
    // "pos_embed" named the projection before MONAI 1.2 renamed it "proj_type".
    c.projectionGiven = r.has("proj_type") || r.has("pos_embed");
    const std::string projection = r.has("proj_type") ? r.oneOf("proj_type", {"conv", "perceptron"})
                                                      : r.oneOfOr("pos_embed", {"conv", "perceptron"}, "conv");
    c.projection = projection == "conv" ? PatchProjection::Conv : PatchProjection::Perceptron;
    const std::string table = r.oneOfOr("pos_embed_type", {"none", "learnable", "sincos"}, "learnable");
    c.positions = table == "none" ? PositionTable::None : table == "learnable" ? PositionTable::Learnable : PositionTable::Sincos;
}

} // namespace

VitConfig readVitConfig(const ConfigReader& r, const std::string& family, bool allowClassification, int numLayers)
{
    const std::string& where = r.where();
    VitConfig c;
    readPatches(r, c);
    ModelConfig& e = c.encoder;
    e.family = family;
    e.dModel = r.positiveIntOr("hidden_size", 768);
    e.nHeads = r.positiveIntOr("num_heads", 12);
    e.nLayers = numLayers > 0 ? numLayers : r.positiveIntOr("num_layers", 12);
    e.dimFeedforward = r.positiveIntOr("mlp_dim", 3072);
    check<FormatError>(e.dModel % e.nHeads == 0, where + ": 'hidden_size' " + std::to_string(e.dModel) + " is not divisible by 'num_heads' "
                                                     + std::to_string(e.nHeads));
    check<FormatError>(c.positions != PositionTable::Sincos || e.dModel % 6 == 0,
                       where + ": the 3D sincos position table needs 'hidden_size' divisible by 6");
    e.activation = Activation::Gelu;
    e.normFirst = true;
    e.layerNormEps = 1e-5f;
    e.finalNorm = true;
    e.positional = Positional::None; // the table is added by the patch embedding, not the layers
    c.qkvBias = r.booleanOr("qkv_bias", false);
    c.classification = allowClassification && r.booleanOr("classification", false);
    if (c.classification) {
        const int classes = r.positiveIntOr("num_classes", 2);
        if (r.has("labels") && r.strings("labels").size() == static_cast<std::size_t>(classes))
            e.labels = r.strings("labels"); // the bundle's metadata.json names them
        for (int i = static_cast<int>(e.labels.size()); i < classes; ++i)
            e.labels.push_back("class " + std::to_string(i));
        c.tanh = r.stringOr("post_activation", "Tanh") == "Tanh";
    }
    e.maxLen = c.tokens();
    return c;
}

void describeVitEncoder(const VitConfig& c, nlohmann::json& info)
{
    info["img_size"] = c.imgSize;
    info["patch_size"] = c.patchSize;
    info["patch_grid"] = c.patchGrid();
    info["tokens"] = c.tokens();
    info["in_channels"] = c.inChannels;
    info["proj_type"] = projectionName(c.projection);
    info["pos_embed_type"] = positionTableName(c.positions);
    info["qkv_bias"] = c.qkvBias;
}

} // namespace attn
