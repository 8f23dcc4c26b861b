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

std::uint64_t fileElementCount(const std::vector<std::int64_t>& shape, const std::string& where)
{
    std::uint64_t n = 1;
    for (const std::int64_t extent : shape) {
        check<FormatError>(extent >= 0, where + ": shape " + shapeString(shape) + " has a negative extent");
        const auto e = static_cast<std::uint64_t>(extent);
        check<FormatError>(e == 0 || n <= kMaxFileElements / e, where + ": shape " + shapeString(shape) + " is implausibly large");
        n *= e;
    }
    return n;
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
