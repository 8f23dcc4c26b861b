#pragma once
/// @file RandomModel.h
/// A torch_encoder model folder with deterministic pseudo-random weights (post-LN, ReLU,
/// sinusoidal positions, the DNA character vocabulary), big enough to make runs take a while:
/// for Cancel tests and the cancellation benchmark.

#include <filesystem>

namespace attn::test {

/// The architecture of a random model.
struct RandomModelShape {
    int dModel = 128;
    int heads = 8;
    int layers = 4;
    int feedforward = 512;
    int maxLen = 1024;
    int labels = 3;
};

/// Writes config.json and model.safetensors into `dir` (created); returns `dir`.
std::filesystem::path writeRandomModel(const std::filesystem::path& dir, const RandomModelShape& shape);

} // namespace attn::test
