#pragma once
/// @file Conv3d.h
/// 3D convolution, batch normalisation (inference form) and ReLU on channel-first grids,
/// as torch.nn.Conv3d / BatchNorm3d (eval) / ReLU compute them for a batch of one.

#include "tensor/Tensor.h"

#include <array>
#include <vector>

namespace attn {

/// Channels x depth (z) x height (y) x width (x) values, x fastest.
struct Grid {
    int channels = 0;
    std::array<int, 3> size{0, 0, 0}; ///< depth, height, width
    std::vector<float> data;          ///< channels * depth * height * width values.

    /// Number of spatial positions.
    std::size_t positions() const
    {
        return static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(size[2]);
    }
};

/// Output size of a convolution along one axis: floor((n + 2 p - k) / s) + 1.
int convOutputSize(int n, int kernel, int stride, int padding);

/// y = conv3d(x, weight, bias) with cubic kernel, equal stride and zero padding on every axis.
/// weight: [out, in, k, k, k] (PyTorch's layout); bias: [out]. Computed as one matrix product
/// of the gathered patches [positions, in k^3] with the weights.
Grid conv3d(const Grid& x, const Tensor& weight, const Tensor& bias, int stride, int padding);

/// In place: x = (x - mean) / sqrt(var + eps) * gamma + beta, per channel.
void batchNorm3d(Grid& x, const Tensor& gamma, const Tensor& beta, const Tensor& mean, const Tensor& var, float eps);

/// In place: max(x, 0).
void relu(Grid& x);

} // namespace attn
