#pragma once
/// @file Conv3d.h
/// 3D convolution (and its transpose for kernel = stride), batch normalisation (inference form)
/// and ReLU on channel-first grids, as torch.nn.Conv3d / ConvTranspose3d / BatchNorm3d (eval) /
/// ReLU compute them for a batch of one.

#include "tensor/Tensor.h"

#include <array>
#include <vector>

namespace attn {

/// Channels x three spatial axes, the last fastest (PyTorch's contiguous [C, D, H, W]). The
/// ct_encoder keeps (z, y, x) there; MONAI's networks keep MONAI's array axes (x, y, z).
struct Grid {
    int channels = 0;
    std::array<int, 3> size{0, 0, 0}; ///< Spatial extents, outermost first (ct_encoder: depth, height, width).
    std::vector<float> data;          ///< channels * size[0] * size[1] * size[2] values.

    /// Number of spatial positions.
    std::size_t positions() const
    {
        return static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(size[2]);
    }
};

/// Output size of a convolution along one axis: floor((n + 2 p - k) / s) + 1.
int convOutputSize(int n, int kernel, int stride, int padding);

/// y = conv3d(x, weight, bias) with cubic kernel, equal stride and zero padding on every axis.
/// weight: [out, in, k, k, k] (PyTorch's layout); bias: [out], or null for none. Computed as
/// matrix products of the gathered patches [positions, in k^3] with the weights, a slab of output
/// planes at a time, so the patches never take more than about 16 MiB.
Grid conv3d(const Grid& x, const Tensor& weight, const Tensor* bias, int stride, int padding);

/// y = conv_transpose3d(x, weight, bias, stride) for kernel = stride (each input voxel spreads
/// over its own k^3 output block; no overlap, no padding): weight [in, out, k, k, k]; bias [out] or
/// null. Other kernels are refused (ShapeError).
Grid transposedConv3d(const Grid& x, const Tensor& weight, const Tensor* bias, int stride);

/// In place: x = (x - mean) / sqrt(var + eps) * gamma + beta, per channel.
void batchNorm3d(Grid& x, const Tensor& gamma, const Tensor& beta, const Tensor& mean, const Tensor& var, float eps);

/// In place: max(x, 0).
void relu(Grid& x);

} // namespace attn
