#include "tensor/Conv3d.h"

#include "util/Error.h"

#include <cmath>

namespace attn {

int convOutputSize(int n, int kernel, int stride, int padding)
{
    return (n + 2 * padding - kernel) / stride + 1;
}

Grid conv3d(const Grid& x, const Tensor& weight, const Tensor& bias, int stride, int padding)
{
    check<ShapeError>(weight.shape.size() == 5 && weight.shape[1] == x.channels && weight.shape[2] == weight.shape[3]
                          && weight.shape[3] == weight.shape[4],
                      "conv3d: weight " + weight.shapeString() + " does not fit " + std::to_string(x.channels) + " input channels");
    const int out = static_cast<int>(weight.shape[0]), k = static_cast<int>(weight.shape[2]);
    const int d = x.size[0], h = x.size[1], w = x.size[2];
    Grid y;
    y.channels = out;
    y.size = {convOutputSize(d, k, stride, padding), convOutputSize(h, k, stride, padding), convOutputSize(w, k, stride, padding)};
    check<ShapeError>(y.size[0] > 0 && y.size[1] > 0 && y.size[2] > 0, "conv3d: the input is smaller than the kernel");
    const Index patch = static_cast<Index>(x.channels) * k * k * k;
    const auto positions = static_cast<Index>(y.positions());
    Matrix cols(positions, patch); // im2col: one row of input values per output position
#pragma omp parallel for
    for (Index p = 0; p < positions; ++p) {
        const int oz = static_cast<int>(p / (y.size[1] * y.size[2])), oy = static_cast<int>(p / y.size[2] % y.size[1]),
                  ox = static_cast<int>(p % y.size[2]);
        Index col = 0;
        for (int c = 0; c < x.channels; ++c)
            for (int kz = 0; kz < k; ++kz)
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx, ++col) {
                        const int iz = oz * stride - padding + kz, iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                        const bool inside = iz >= 0 && iz < d && iy >= 0 && iy < h && ix >= 0 && ix < w;
                        cols(p, col) = inside ? x.data[((static_cast<std::size_t>(c) * d + iz) * h + iy) * w + ix] : 0.0f;
                    }
    }
    const Eigen::Map<const Matrix> wm(weight.data.data(), out, patch);
    Matrix result(out, positions); // channel-first, as the grid stores it
    result.noalias() = wm * cols.transpose();
    result.colwise() += Eigen::Map<const Vector>(bias.data.data(), out);
    y.data.assign(result.data(), result.data() + result.size());
    return y;
}

void batchNorm3d(Grid& x, const Tensor& gamma, const Tensor& beta, const Tensor& mean, const Tensor& var, float eps)
{
    const std::size_t n = x.positions();
    for (int c = 0; c < x.channels; ++c) {
        const auto i = static_cast<std::size_t>(c);
        const float scale = gamma.data[i] / std::sqrt(var.data[i] + eps), shift = beta.data[i] - mean.data[i] * scale;
        float* v = x.data.data() + i * n;
        for (std::size_t j = 0; j < n; ++j)
            v[j] = v[j] * scale + shift;
    }
}

void relu(Grid& x)
{
    for (float& v : x.data)
        v = v > 0.0f ? v : 0.0f;
}

} // namespace attn
