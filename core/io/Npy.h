#pragma once
/// @file Npy.h
/// NumPy .npy files, format version 1.0
/// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
/// Written as little-endian float32 in C order, which numpy.load reads directly.

#include "tensor/Tensor.h"

#include <filesystem>
#include <string>

namespace attn {

/// The bytes of an .npy file holding a float32 array of the given shape; data must hold the
/// product of the shape.
std::string encodeNpy(const std::vector<std::int64_t>& shape, const float* data);

/// The bytes of an .npy file holding a tensor as float32.
std::string encodeNpy(const Tensor& tensor);

/// Writes a float32 array of the given shape; data must hold the product of the shape.
void writeNpy(const std::filesystem::path& path, const std::vector<std::int64_t>& shape, const float* data);

/// Writes a tensor as float32.
void writeNpy(const std::filesystem::path& path, const Tensor& tensor);

/// Reads a little-endian float32 or float64 array in C order (float64 is narrowed).
/// Throws FormatError naming the file when the magic, header or size is wrong.
Tensor readNpy(const std::filesystem::path& path);

} // namespace attn
