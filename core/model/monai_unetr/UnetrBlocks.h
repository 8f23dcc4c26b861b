#pragma once
/// @file UnetrBlocks.h
/// The convolutional blocks of MONAI's UNETR decoder (monai/networks/blocks/unetr_block.py and
/// dynunet_block.py), bound to a state dict by MONAI's own names:
///   - UnetResBlock: conv1 (k, bias-free) - norm1 - LeakyReLU - conv2 - norm2, plus the input (through
///     a 1x1 conv3 and norm3 when the channels change), then LeakyReLU; UnetBasicBlock the same
///     without the residual, with a LeakyReLU after norm2;
///   - UnetrPrUpBlock: a transposed convolution, then `num_layer` x (transposed convolution, then a
///     conv block when conv_block, else nothing);
///   - UnetrUpBlock: a transposed convolution, the skip concatenated after it, a conv block;
///   - UnetOutBlock: a 1x1 convolution with bias.
/// Norms are InstanceNorm3d (eps 1e-5), with affine weights when the state dict has them;
/// LeakyReLU's slope is 0.01.

#include "model/Weights.h"
#include "tensor/Conv3d.h"

#include <optional>
#include <string>
#include <vector>

namespace attn {

/// An InstanceNorm3d, with its affine weight and bias when it has them.
struct InstanceNormWeights {
    const Tensor* weight = nullptr;
    const Tensor* bias = nullptr;
};

/// A UnetResBlock (residual) or UnetBasicBlock with its bound tensors.
struct ConvBlock {
    bool residual = true;
    const Tensor* conv1 = nullptr;
    const Tensor* conv2 = nullptr;
    const Tensor* conv3 = nullptr; ///< The residual's 1x1 convolution, or null when the channels stay.
    InstanceNormWeights norm1, norm2, norm3;
};

/// Shapes a bound block must have, and what the state dict must hold.
struct BlockShape {
    int in = 0;
    int out = 0;
    int kernel = 3;
};

/// Binds a conv block named `prefix` ("encoder1.layer."); errors name the weights' file and the tensor.
ConvBlock bindConvBlock(const Weights& weights, const std::string& prefix, const BlockShape& shape, bool residual);
/// Runs a conv block (stride 1, padding k / 2).
Grid runConvBlock(const ConvBlock& block, const Grid& x);

/// A transposed convolution with kernel = stride = 2, bias-free: `prefix`.conv.weight [in, out, 2, 2, 2].
const Tensor* bindTransposed(const Weights& weights, const std::string& prefix, int in, int out);

/// A UnetrPrUpBlock: transp_conv_init, then its blocks.
struct PrUpBlock {
    const Tensor* init = nullptr;
    std::vector<const Tensor*> upsample;  ///< Each block's transposed convolution.
    std::vector<std::optional<ConvBlock>> blocks; ///< Each block's conv block (none without conv_block).
};
PrUpBlock bindPrUpBlock(const Weights& weights, const std::string& prefix, int in, int out, int layers, bool convBlock, bool residual);
Grid runPrUpBlock(const PrUpBlock& block, Grid x);

/// A UnetrUpBlock: transp_conv, concatenation with the skip, conv_block.
struct UpBlock {
    const Tensor* transposed = nullptr;
    ConvBlock conv;
};
UpBlock bindUpBlock(const Weights& weights, const std::string& prefix, int in, int out, bool residual);
Grid runUpBlock(const UpBlock& block, const Grid& x, const Grid& skip);

} // namespace attn
