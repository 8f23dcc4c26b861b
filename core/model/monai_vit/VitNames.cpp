#include "model/monai_vit/VitNames.h"

#include "model/WeightViews.h"
#include "util/Error.h"

#include <cmath>

namespace attn {
namespace {

bool unusedCrossAttention(const std::string& name)
{
    return name.find(".cross_attn.") != std::string::npos || name.find(".norm_cross_attn.") != std::string::npos;
}

void patchEmbedding(TensorMap& in, TensorMap& out, VitConfig& c, const std::string& p, const std::string& file)
{
    const std::int64_t d = c.encoder.dModel, ch = c.inChannels;
    const auto& s = c.patchSize;
    const std::int64_t k = ch * s[0] * s[1] * s[2];
    const std::string e = p + "patch_embedding.";
    Tensor weight;
    if (!c.projectionGiven) // the defaults changed across MONAI releases: the file's names say which it is
        c.projection = in.count(e + "patch_embeddings.1.weight") ? PatchProjection::Perceptron : PatchProjection::Conv;
    if (c.projection == PatchProjection::Conv) {
        weight = takeTensor(in, e + "patch_embeddings.weight", {d, ch, s[0], s[1], s[2]}, file);
        out["patch.bias"] = takeTensor(in, e + "patch_embeddings.bias", {d}, file);
    } else {
        weight = takeTensor(in, e + "patch_embeddings.1.weight", {d, k}, file);
        out["patch.bias"] = takeTensor(in, e + "patch_embeddings.1.bias", {d}, file);
    }
    weight.shape = {d, k};
    out["patch.weight"] = std::move(weight);
    // MONAI always keeps position_embeddings in the state dict (zeros for "none", the fixed table
    // for "sincos") and always adds it: the file's table is used whenever it is there.
    const std::int64_t n = c.patches();
    if (c.positions == PositionTable::Learnable || in.count(e + "position_embeddings")) {
        Tensor table = takeTensor(in, e + "position_embeddings", {1, n, d}, file);
        table.shape = {n, d};
        out["positions"] = std::move(table);
    } else if (c.positions == PositionTable::Sincos) {
        out["positions"] = sincosPositionTable(c.patchGrid(), c.encoder.dModel);
    }
    const std::string cls = in.count(p + "cls_token") || !in.count(e + "cls_token") ? p + "cls_token" : e + "cls_token";
    if (c.classification) {
        Tensor token = takeTensor(in, cls, {1, 1, d}, file);
        token.shape = {1, d};
        out["cls_token"] = std::move(token);
    }
}

void block(TensorMap& in, TensorMap& out, const VitConfig& c, const std::string& b, const std::string& t, const std::string& file)
{
    const std::int64_t d = c.encoder.dModel, ff = c.encoder.dimFeedforward;
    const auto move = [&](const std::string& from, const std::string& to, std::vector<std::int64_t> shape) {
        out[t + to] = takeTensor(in, b + from, shape, file);
    };
    move("norm1.weight", "norm1.weight", {d});
    move("norm1.bias", "norm1.bias", {d});
    move("attn.qkv.weight", "self_attn.in_proj_weight", {3 * d, d});
    if (c.qkvBias)
        move("attn.qkv.bias", "self_attn.in_proj_bias", {3 * d});
    else
        out[t + "self_attn.in_proj_bias"] = Tensor{{3 * d}, std::vector<float>(static_cast<std::size_t>(3 * d), 0.0f)};
    move("attn.out_proj.weight", "self_attn.out_proj.weight", {d, d});
    move("attn.out_proj.bias", "self_attn.out_proj.bias", {d});
    move("norm2.weight", "norm2.weight", {d});
    move("norm2.bias", "norm2.bias", {d});
    move("mlp.linear1.weight", "linear1.weight", {ff, d});
    move("mlp.linear1.bias", "linear1.bias", {ff});
    move("mlp.linear2.weight", "linear2.weight", {d, ff});
    move("mlp.linear2.bias", "linear2.bias", {d});
}

void classificationHead(TensorMap& in, TensorMap& out, const VitConfig& c, const std::string& file)
{
    const std::int64_t d = c.encoder.dModel, classes = c.encoder.numLabels();
    const std::string h = c.tanh ? "classification_head.0." : "classification_head.";
    out["head.weight"] = takeTensor(in, h + "weight", {classes, d}, file);
    out["head.bias"] = takeTensor(in, h + "bias", {classes}, file);
}

} // namespace

void vitToEncoderNames(TensorMap& in, TensorMap& out, VitConfig& c, const std::string& prefix, const std::string& file)
{
    for (auto it = in.begin(); it != in.end();)
        it = unusedCrossAttention(it->first) ? in.erase(it) : std::next(it);
    patchEmbedding(in, out, c, prefix, file);
    for (int i = 0; i < c.encoder.nLayers; ++i)
        block(in, out, c, prefix + "blocks." + std::to_string(i) + ".", "encoder.layers." + std::to_string(i) + ".", file);
    const std::int64_t d = c.encoder.dModel;
    out["norm.weight"] = takeTensor(in, prefix + "norm.weight", {d}, file);
    out["norm.bias"] = takeTensor(in, prefix + "norm.bias", {d}, file);
    if (c.classification)
        classificationHead(in, out, c, file);
}

Tensor sincosPositionTable(const std::array<int, 3>& grid, int d)
{
    const int part = d / 6;
    const std::int64_t n = static_cast<std::int64_t>(grid[0]) * grid[1] * grid[2];
    Tensor t{{n, d}, std::vector<float>(static_cast<std::size_t>(n * d))};
    std::vector<float> omega(static_cast<std::size_t>(part));
    for (int k = 0; k < part; ++k) // as PyTorch computes it in float32: 1 / 10000^(k / part)
        omega[static_cast<std::size_t>(k)] = 1.0f / std::pow(10000.0f, static_cast<float>(k) / static_cast<float>(part));
    for (std::int64_t m = 0; m < n; ++m) {
        const float h = static_cast<float>(m / (grid[1] * grid[2])), w = static_cast<float>(m / grid[2] % grid[1]),
                    z = static_cast<float>(m % grid[2]);
        float* row = t.data.data() + m * d;
        const float axis[3] = {w, h, z};
        for (int a = 0; a < 3; ++a)
            for (int k = 0; k < part; ++k) {
                const float angle = axis[a] * omega[static_cast<std::size_t>(k)];
                row[(2 * a) * part + k] = std::sin(angle);
                row[(2 * a + 1) * part + k] = std::cos(angle);
            }
    }
    return t;
}

void refuseLeftovers(const TensorMap& in, const std::string& file, const std::string& network)
{
    check<FormatError>(in.empty(), in.empty() ? std::string() : file + ": tensor '" + in.begin()->first + "' is not part of " + network
                                                                    + " as the bundle's network_def describes it"
                                                                    + (in.size() > 1 ? " (nor " + std::to_string(in.size() - 1) + " others)" : ""));
}

} // namespace attn
