#include "tensor/GridOps.h"

#include "util/Error.h"

#include <cmath>

namespace attn {

void instanceNorm3d(Grid& x, float eps)
{
    const std::size_t n = x.positions();
#pragma omp parallel for
    for (int c = 0; c < x.channels; ++c) {
        float* v = x.data.data() + static_cast<std::size_t>(c) * n;
        double sum = 0.0, squares = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            sum += v[i];
        const double mean = sum / static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i)
            squares += (v[i] - mean) * (v[i] - mean);
        const double inverse = 1.0 / std::sqrt(squares / static_cast<double>(n) + static_cast<double>(eps));
        for (std::size_t i = 0; i < n; ++i)
            v[i] = static_cast<float>((v[i] - mean) * inverse);
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
