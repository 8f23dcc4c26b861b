#pragma once
/// @file WeightViews.h
/// Shape-checked Eigen views of a model's tensors, and the row concatenation the Hugging Face
/// formats need to pack q, k, v into one projection (internal to core/model).

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

} // namespace attn
