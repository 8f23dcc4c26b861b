#include "tensor/Tensor.h"

#include "util/Error.h"

namespace attn {

std::int64_t Tensor::numel() const
{
    std::int64_t n = 1;
    for (auto extent : shape)
        n *= extent;
    return n;
}

std::string shapeString(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string Tensor::shapeString() const
{
    return attn::shapeString(shape);
}

Eigen::Map<const Matrix> Tensor::matrix() const
{
    check<ShapeError>(shape.size() == 2, "expected a 2-D tensor, got shape " + shapeString());
    return {data.data(), static_cast<Index>(shape[0]), static_cast<Index>(shape[1])};
}

Eigen::Map<const Vector> Tensor::vector() const
{
    check<ShapeError>(shape.size() == 1, "expected a 1-D tensor, got shape " + shapeString());
    return {data.data(), static_cast<Index>(shape[0])};
}

} // namespace attn
