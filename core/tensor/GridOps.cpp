#include "tensor/GridOps.h"

#include "util/Error.h"

#include <Eigen/Core>

#include <cmath>

namespace attn {

void instanceNorm3d(Grid& x, float eps)
{
    const auto n = static_cast<Eigen::Index>(x.positions());
#pragma omp parallel for
    for (int c = 0; c < x.channels; ++c) {
        Eigen::Map<Eigen::ArrayXf> v(x.data.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(n), n);
        const double mean = v.cast<double>().mean();
        const double variance = (v.cast<double>() - mean).square().mean(); // biased, as InstanceNorm3d
        const auto inverse = static_cast<float>(1.0 / std::sqrt(variance + static_cast<double>(eps)));
        v = (v - static_cast<float>(mean)) * inverse;
    }
}

void leakyRelu(Grid& x, float slope)
{
    for (float& v : x.data)
        v = v >= 0.0f ? v : v * slope;
}

Grid concatChannels(const Grid& a, const Grid& b)
{
    check<ShapeError>(a.size == b.size, "concatenating grids of different sizes");
    Grid out;
    out.channels = a.channels + b.channels;
    out.size = a.size;
    out.data.reserve(a.data.size() + b.data.size());
    out.data.insert(out.data.end(), a.data.begin(), a.data.end());
    out.data.insert(out.data.end(), b.data.begin(), b.data.end());
    return out;
}

void addGrid(Grid& x, const Grid& y)
{
    check<ShapeError>(x.channels == y.channels && x.size == y.size, "adding grids of different shapes");
    for (std::size_t i = 0; i < x.data.size(); ++i)
        x.data[i] += y.data[i];
}

} // namespace attn
