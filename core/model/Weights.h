#pragma once
/// @file Weights.h
/// Immutable named tensors of a model, loaded once and shared between runs as
/// std::shared_ptr<const Weights> (whisper.cpp's context/state split).

#include "io/SafeTensors.h"

#include <string>

namespace attn {

/// The tensor `name` of `tensors`, which must have `shape`: FormatError naming `source` and the
/// tensor if it is missing, ShapeError if its shape differs. The one such check of the core.
const Tensor& tensorIn(const TensorMap& tensors, const std::string& name, const std::vector<std::int64_t>& shape,
                       const std::string& source);

/// Named float32 tensors with shape-checked access.
class Weights {
public:
    /// Takes the tensors of `source` (a file name, used in messages).
    Weights(TensorMap tensors, std::string source);

    /// True if a tensor of that name exists.
    bool has(const std::string& name) const { return tensors_.count(name) != 0; }
    /// The tensor `name`, which must have `shape`; throws FormatError if it is missing
    /// and ShapeError if its shape differs, naming the file and the tensor.
    const Tensor& get(const std::string& name, const std::vector<std::int64_t>& shape) const;
    /// Total number of scalar parameters.
    std::int64_t parameterCount() const;
    /// All tensors, by name.
    const TensorMap& tensors() const { return tensors_; }
    /// The file the weights came from.
    const std::string& source() const { return source_; }

private:
    TensorMap tensors_;
    std::string source_;
};

} // namespace attn
