#pragma once
/// @file WeightViews.h
/// Shape-checked Eigen views of a model's tensors, and what the Hugging Face formats need while
/// renaming: tensors moved out of what was read, q, k, v packed into one projection (internal to
/// core/model).

#include "model/Weights.h"

#include <string>
#include <vector>

namespace attn {

/// The 2-D tensor `name` [rows, cols] as a row-major matrix view (errors name the file and tensor).
inline Eigen::Map<const Matrix> matrixOf(const Weights& w, const std::string& name, std::int64_t rows, std::int64_t cols)
{
    return w.get(name, {rows, cols}).matrix();
}

/// The 1-D tensor `name` [n] as a vector view.
inline Eigen::Map<const Vector> vectorOf(const Weights& w, const std::string& name, std::int64_t n)
{
    return w.get(name, {n}).vector();
}

/// Tensors of equal trailing extents stacked along their first dimension.
inline Tensor concatRows(const std::vector<const Tensor*>& parts)
{
    Tensor out;
    out.shape = parts.front()->shape;
    out.shape[0] = 0;
    for (const Tensor* p : parts) {
        out.shape[0] += p->shape[0];
        out.data.insert(out.data.end(), p->data.begin(), p->data.end());
    }
    return out;
}

/// Moves the shape-checked tensor `name` out of `tensors` (a format renaming what it read keeps one
/// copy of the weights at a time).
inline Tensor takeTensor(TensorMap& tensors, const std::string& name, const std::vector<std::int64_t>& shape, const std::string& source)
{
    tensorIn(tensors, name, shape, source);
    const auto it = tensors.find(name);
    Tensor taken = std::move(it->second);
    tensors.erase(it);
    return taken;
}

/// Three tensors of one shape taken out and packed row after row (q, k, v into in_proj).
inline Tensor takePacked(TensorMap& tensors, const std::string& q, const std::string& k, const std::string& v,
                         const std::vector<std::int64_t>& shape, const std::string& source)
{
    const Tensor a = takeTensor(tensors, q, shape, source), b = takeTensor(tensors, k, shape, source), c = takeTensor(tensors, v, shape, source);
    return concatRows({&a, &b, &c});
}

} // namespace attn
