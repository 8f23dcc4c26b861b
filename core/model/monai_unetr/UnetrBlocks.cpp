#include "model/monai_unetr/UnetrBlocks.h"

#include "tensor/GridOps.h"

namespace attn {
namespace {

constexpr float kNormEps = 1e-5f;
constexpr float kLeakySlope = 0.01f;

const Tensor* conv(const Weights& w, const std::string& name, int out, int in, int k)
{
    return &w.get(name + ".conv.weight", {out, in, k, k, k});
}

InstanceNormWeights bindNorm(const Weights& w, const std::string& name, int channels)
{
    if (!w.has(name + ".weight"))
        return {};
    return {&w.get(name + ".weight", {channels}), &w.get(name + ".bias", {channels})};
}

void norm(Grid& x, const InstanceNormWeights& n)
{
    instanceNorm3d(x, kNormEps);
    if (!n.weight)
        return;
    const std::size_t positions = x.positions();
    for (int c = 0; c < x.channels; ++c) {
        const float scale = n.weight->data[static_cast<std::size_t>(c)], shift = n.bias->data[static_cast<std::size_t>(c)];
        float* v = x.data.data() + static_cast<std::size_t>(c) * positions;
        for (std::size_t i = 0; i < positions; ++i)
            v[i] = v[i] * scale + shift;
    }
}

} // namespace

ConvBlock bindConvBlock(const Weights& w, const std::string& p, const BlockShape& s, bool residual)
{
    ConvBlock b;
    b.residual = residual;
    b.conv1 = conv(w, p + "conv1", s.out, s.in, s.kernel);
    b.conv2 = conv(w, p + "conv2", s.out, s.out, s.kernel);
    b.norm1 = bindNorm(w, p + "norm1", s.out);
    b.norm2 = bindNorm(w, p + "norm2", s.out);
    if (residual && s.in != s.out) {
        b.conv3 = conv(w, p + "conv3", s.out, s.in, 1);
        b.norm3 = bindNorm(w, p + "norm3", s.out);
    }
    return b;
}

Grid runConvBlock(const ConvBlock& b, const Grid& x)
{
    const int k = static_cast<int>(b.conv1->shape[2]);
    Grid y = conv3d(x, *b.conv1, nullptr, 1, k / 2);
    norm(y, b.norm1);
    leakyRelu(y, kLeakySlope);
    y = conv3d(y, *b.conv2, nullptr, 1, k / 2);
    norm(y, b.norm2);
    if (b.residual) {
        if (b.conv3) {
            Grid r = conv3d(x, *b.conv3, nullptr, 1, 0);
            norm(r, b.norm3);
            addGrid(y, r);
        } else {
            addGrid(y, x);
        }
    }
    leakyRelu(y, kLeakySlope);
    return y;
}

const Tensor* bindTransposed(const Weights& w, const std::string& p, int in, int out)
{
    return &w.get(p + "conv.weight", {in, out, 2, 2, 2});
}

PrUpBlock bindPrUpBlock(const Weights& w, const std::string& p, int in, int out, int layers, bool convBlock, bool residual)
{
    PrUpBlock b;
    b.init = bindTransposed(w, p + "transp_conv_init.", in, out);
    for (int i = 0; i < layers; ++i) {
        const std::string block = p + "blocks." + std::to_string(i) + ".";
        b.upsample.push_back(bindTransposed(w, convBlock ? block + "0." : block, out, out));
        b.blocks.push_back(convBlock ? std::optional<ConvBlock>(bindConvBlock(w, block + "1.", {out, out, 3}, residual)) : std::nullopt);
    }
    return b;
}

Grid runPrUpBlock(const PrUpBlock& b, Grid x)
{
    x = transposedConv3d(x, *b.init, nullptr, 2);
    for (std::size_t i = 0; i < b.upsample.size(); ++i) {
        x = transposedConv3d(x, *b.upsample[i], nullptr, 2);
        if (b.blocks[i])
            x = runConvBlock(*b.blocks[i], x);
    }
    return x;
}

UpBlock bindUpBlock(const Weights& w, const std::string& p, int in, int out, bool residual)
{
    return {bindTransposed(w, p + "transp_conv.", in, out), bindConvBlock(w, p + "conv_block.", {2 * out, out, 3}, residual)};
}

Grid runUpBlock(const UpBlock& b, const Grid& x, const Grid& skip)
{
    return runConvBlock(b.conv, concatChannels(transposedConv3d(x, *b.transposed, nullptr, 2), skip));
}

} // namespace attn
