#include "model/Weights.h"

#include "util/Error.h"

namespace attn {

Weights::Weights(TensorMap tensors, std::string source)
    : tensors_(std::move(tensors)), source_(std::move(source))
{
}

const Tensor& tensorIn(const TensorMap& tensors, const std::string& name, const std::vector<std::int64_t>& shape,
                       const std::string& source)
{
    const auto it = tensors.find(name);
    check<FormatError>(it != tensors.end(), source + ": missing tensor '" + name + "' (expected shape " + shapeString(shape) + ")");
    check<ShapeError>(it->second.shape == shape,
                      source + ": tensor '" + name + "' has shape " + it->second.shapeString() + ", expected " + shapeString(shape));
    return it->second;
}

const Tensor& Weights::get(const std::string& name, const std::vector<std::int64_t>& shape) const
{
    return tensorIn(tensors_, name, shape, source_);
}

std::int64_t Weights::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& [name, t] : tensors_)
        n += t.numel();
    return n;
}

} // namespace attn
