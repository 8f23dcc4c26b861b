#pragma once
/// @file SafeTensors.h
/// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
/// an 8-byte little-endian header length N, N bytes of JSON describing every tensor
/// (dtype, shape, data_offsets relative to the data section), then the raw data.
/// Reading validates everything before touching data; errors name the file and tensor.

#include "tensor/Tensor.h"

#include <filesystem>
#include <map>
#include <string>

namespace attn {

/// Element types attnscope reads; all are converted to float32 on load.
enum class DType { F32, F16, BF16 };

/// Bytes per element of a dtype.
int dtypeSize(DType dtype);
/// The safetensors name of a dtype ("F32", "F16", "BF16").
std::string dtypeName(DType dtype);

/// Named tensors of one file, in name order.
using TensorMap = std::map<std::string, Tensor>;

/// Reads and validates a safetensors file; every floating-point tensor is returned as float32.
/// Integer and boolean tensors (I8 to I64, U8 to U64, BOOL: buffers such as Hugging Face's
/// position_ids, which no model reads) are validated like the others and left out. Throws IoError if the file cannot be read and FormatError naming the file and
/// the tensor when the header, a dtype, a shape or an offset is wrong.
TensorMap readSafeTensors(const std::filesystem::path& path);

/// Writes tensors as a safetensors file, converting the float32 data to `dtype`.
void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors,
                      DType dtype = DType::F32);

} // namespace attn
