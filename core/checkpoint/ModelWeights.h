#pragma once
/// @file ModelWeights.h
/// The weights of a model directory, however its authors stored them: model.safetensors, a
/// PyTorch checkpoint (pytorch_model.bin, or one *.pt / *.pth file), or Hugging Face shards listed by
/// model.safetensors.index.json or pytorch_model.bin.index.json. Every family loads through this.

#include "io/SafeTensors.h"

#include <filesystem>
#include <string>

namespace attn {

/// A model's tensors and where they came from.
struct ModelWeights {
    TensorMap tensors;
    std::string source; ///< The file, or the index of the shards, for messages.
};

/// Reads the first of these that the directory holds: model.safetensors,
/// model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json, one *.pt or
/// *.pth file. Throws FormatError naming the directory when it holds none (or several .pt files),
/// and the readers' errors naming the file otherwise.
ModelWeights readModelWeights(const std::filesystem::path& directory);

/// The files a model directory may hold its weights in, for messages.
std::string modelWeightFileNames();

} // namespace attn
