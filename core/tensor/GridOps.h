#pragma once
/// @file GridOps.h
/// Element-wise and per-channel operations on channel-first grids (Conv3d.h's Grid), as
/// PyTorch computes them for a batch of one: InstanceNorm3d without affine parameters, LeakyReLU,
/// torch.cat along channels, and the residual sum.

#include "tensor/Conv3d.h"

namespace attn {

/// In place: each channel normalised by its own mean and biased variance over the positions,
/// (x - mean) / sqrt(var + eps), as InstanceNorm3d(affine=False) does (statistics in double).
void instanceNorm3d(Grid& x, float eps);

/// In place: x for x >= 0, slope * x below.
void leakyRelu(Grid& x, float slope);

/// torch.cat((a, b), dim=1): a's channels, then b's; both of one spatial size (ShapeError otherwise).
Grid concatChannels(const Grid& a, const Grid& b);

/// In place: x += y, both of one shape (ShapeError otherwise).
void addGrid(Grid& x, const Grid& y);

} // namespace attn
