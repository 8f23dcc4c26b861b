#pragma once
/// @file SlidingWindow.h
/// MONAI's sliding_window_inference (monai/inferers/utils.py, monai/data/utils.py) for a batch of
/// one: the image padded to at least the window (the smaller half of the padding before), windows
/// every int(roi (1 - overlap)) voxels with the last one flush with the border, each prediction
/// weighted by the importance map (constant, or MONAI >= 1.1's separable Gaussian of sigma
/// roi * sigma_scale centred at (roi - 1) / 2, not normalised, at least max(its minimum, 1e-3)),
/// summed, divided by the summed weights, and the padding cut off.

#include "model/monai_bundle/BundlePreprocessing.h"
#include "tensor/Conv3d.h"

#include <functional>

namespace attn {

class Progress;

/// The windows' starts along one axis of `size` voxels (after padding to at least `roi`).
std::vector<int> windowStarts(int size, int roi, double overlap);

/// The importance map of a window, [roi0, roi1, roi2] with the last axis fastest.
std::vector<float> importanceMap(const std::array<int, 3>& roi, const SlidingWindowSettings& settings);

/// The predictor's `channels`-channel output over the whole one-channel image, window by window.
/// Progress steps once per window; throws Cancelled when asked between windows.
Grid slidingWindow(const Grid& image, const std::array<int, 3>& roi, const SlidingWindowSettings& settings, int channels,
                   const std::function<Grid(const Grid&)>& predictor, Progress* progress);

} // namespace attn
