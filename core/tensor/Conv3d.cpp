#include "tensor/Conv3d.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace attn {

int convOutputSize(int n, int kernel, int stride, int padding)
{
    return (n + 2 * padding - kernel) / stride + 1;
}

namespace {

/// One slab's patches, transposed: row (c, kz, ky, kx) holds, for every output position of the slab
/// (whole planes from `firstPlane`), the input value it reads at that kernel offset (zero outside).
/// Rows are filled a line of x at a time: a shifted copy of an input line for stride 1.
void gatherPatches(const Grid& x, const Grid& y, int k, int stride, int padding, int firstPlane, Matrix& colsT)
{
    const int d = x.size[0], h = x.size[1], w = x.size[2], oh = y.size[1], ow = y.size[2];
    const int planes = static_cast<int>(colsT.cols() / (static_cast<Index>(oh) * ow));
#pragma omp parallel for
    for (Index r = 0; r < colsT.rows(); ++r) {
        const int c = static_cast<int>(r / (k * k * k)), kz = static_cast<int>(r / (k * k) % k), ky = static_cast<int>(r / k % k),
                  kx = static_cast<int>(r % k);
        float* row = colsT.row(r).data();
        for (int pz = 0; pz < planes; ++pz)
            for (int oy = 0; oy < oh; ++oy) {
                float* line = row + (static_cast<Index>(pz) * oh + oy) * ow;
                const int iz = (firstPlane + pz) * stride - padding + kz, iy = oy * stride - padding + ky;
                if (iz < 0 || iz >= d || iy < 0 || iy >= h) {
                    std::fill(line, line + ow, 0.0f);
                    continue;
                }
                const float* in = x.data.data() + ((static_cast<std::size_t>(c) * d + iz) * h + iy) * w;
                for (int ox = 0; ox < ow; ++ox) {
                    const int ix = ox * stride - padding + kx;
                    line[ox] = ix >= 0 && ix < w ? in[ix] : 0.0f;
                }
            }
    }
}

/// The output rows of `channels` x `positions` channel-first values, as a row-major view with each
/// channel `stride` values apart.
using ChannelRows = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;

void addBias(Grid& y, const Tensor* bias)
{
    if (!bias)
        return;
    const auto n = static_cast<Index>(y.positions());
    ChannelRows(y.data.data(), y.channels, n, Eigen::OuterStride<>(n)).colwise() += bias->vector();
}

} // namespace

Grid conv3d(const Grid& x, const Tensor& weight, const Tensor* bias, int stride, int padding)
{
    check<ShapeError>(weight.shape.size() == 5 && weight.shape[1] == x.channels && weight.shape[2] == weight.shape[3]
                          && weight.shape[3] == weight.shape[4],
                      "conv3d: weight " + weight.shapeString() + " does not fit " + std::to_string(x.channels) + " input channels");
    check<ShapeError>(!bias || bias->shape == std::vector<std::int64_t>{weight.shape[0]}, "conv3d: bias does not fit the weight");
    const int out = static_cast<int>(weight.shape[0]), k = static_cast<int>(weight.shape[2]);
    Grid y;
    y.channels = out;
    for (int a = 0; a < 3; ++a)
        y.size[static_cast<std::size_t>(a)] = convOutputSize(x.size[static_cast<std::size_t>(a)], k, stride, padding);
    check<ShapeError>(y.size[0] > 0 && y.size[1] > 0 && y.size[2] > 0, "conv3d: the input is smaller than the kernel");
    const Index patch = static_cast<Index>(x.channels) * k * k * k;
    const auto positions = static_cast<Index>(y.positions());
    const Index plane = static_cast<Index>(y.size[1]) * y.size[2];
    // ~16 MiB of patches: below glibc's largest mmap threshold, so a slab freed is reused by the next
    // convolution from the heap instead of being mapped and faulted in again
    const Index slab = plane * std::max<Index>(1, (Index{4} << 20) / std::max<Index>(1, plane * patch));
    y.data.resize(static_cast<std::size_t>(out) * static_cast<std::size_t>(positions));
    const Eigen::Map<const Matrix> wm(weight.data.data(), out, patch);
    Matrix colsT;
    for (Index first = 0; first < positions; first += slab) {
        const Index n = std::min(slab, positions - first);
        colsT.resize(patch, n);
        gatherPatches(x, y, k, stride, padding, static_cast<int>(first / plane), colsT);
        ChannelRows(y.data.data() + first, out, n, Eigen::OuterStride<>(positions)).noalias() = wm * colsT;
    }
    addBias(y, bias);
    return y;
}

Grid transposedConv3d(const Grid& x, const Tensor& weight, const Tensor* bias, int stride)
{
    check<ShapeError>(weight.shape.size() == 5 && weight.shape[0] == x.channels && weight.shape[2] == stride && weight.shape[3] == stride
                          && weight.shape[4] == stride,
                      "transposed conv3d: weight " + weight.shapeString() + " does not fit " + std::to_string(x.channels)
                          + " input channels with kernel = stride = " + std::to_string(stride));
    check<ShapeError>(!bias || bias->shape == std::vector<std::int64_t>{weight.shape[1]}, "transposed conv3d: bias does not fit the weight");
    const int out = static_cast<int>(weight.shape[1]), k = stride, k3 = k * k * k;
    const auto n = static_cast<Index>(x.positions());
    Grid y;
    y.channels = out;
    y.size = {x.size[0] * k, x.size[1] * k, x.size[2] * k};
    y.data.resize(static_cast<std::size_t>(out) * y.positions());
    // Every (output channel, kernel offset) row of W^T x is one offset's values over the input grid.
    Matrix spread(static_cast<Index>(out) * k3, n);
    spread.noalias() = Eigen::Map<const Matrix>(weight.data.data(), x.channels, spread.rows()).transpose()
        * Eigen::Map<const Matrix>(x.data.data(), x.channels, n);
    const int d = x.size[0], h = x.size[1], w = x.size[2];
#pragma omp parallel for
    for (Index row = 0; row < spread.rows(); ++row) {
        const auto c = static_cast<std::size_t>(row / k3);
        const int off = static_cast<int>(row % k3), kz = off / (k * k), ky = off / k % k, kx = off % k;
        float* channel = y.data.data() + c * y.positions();
        for (int z = 0; z < d; ++z)
            for (int yy = 0; yy < h; ++yy)
                for (int xx = 0; xx < w; ++xx)
                    channel[(static_cast<std::size_t>(z * k + kz) * y.size[1] + static_cast<std::size_t>(yy * k + ky)) * y.size[2]
                            + static_cast<std::size_t>(xx * k + kx)] = spread(row, (static_cast<Index>(z) * h + yy) * w + xx);
    }
    addBias(y, bias);
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
