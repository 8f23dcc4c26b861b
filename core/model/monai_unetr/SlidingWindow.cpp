#include "model/monai_unetr/SlidingWindow.h"

#include "util/Error.h"
#include "util/Progress.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

std::size_t offset(const std::array<int, 3>& size, int x, int y, int z)
{
    return (static_cast<std::size_t>(x) * static_cast<std::size_t>(size[1]) + static_cast<std::size_t>(y)) * static_cast<std::size_t>(size[2])
        + static_cast<std::size_t>(z);
}

/// One window of a padded one-channel image: `roi` voxels from `start`, zero beyond the image.
Grid window(const Grid& image, const std::array<int, 3>& pad, const std::array<int, 3>& start, const std::array<int, 3>& roi)
{
    Grid w;
    w.channels = 1;
    w.size = roi;
    w.data.assign(w.positions(), 0.0f);
    for (int x = 0; x < roi[0]; ++x)
        for (int y = 0; y < roi[1]; ++y)
            for (int z = 0; z < roi[2]; ++z) {
                const int i = start[0] + x - pad[0], j = start[1] + y - pad[1], k = start[2] + z - pad[2];
                if (i >= 0 && i < image.size[0] && j >= 0 && j < image.size[1] && k >= 0 && k < image.size[2])
                    w.data[offset(roi, x, y, z)] = image.data[offset(image.size, i, j, k)];
            }
    return w;
}

} // namespace

std::vector<int> windowStarts(int size, int roi, double overlap)
{
    if (size <= roi)
        return {0};
    const int interval = std::max(1, static_cast<int>(roi * (1.0 - overlap)));
    std::vector<int> starts;
    for (int d = 0;; ++d) {
        starts.push_back(std::min(d * interval, size - roi));
        if (d * interval + roi >= size)
            return starts;
    }
}

std::vector<float> importanceMap(const std::array<int, 3>& roi, const SlidingWindowSettings& s)
{
    std::vector<float> map(static_cast<std::size_t>(roi[0]) * static_cast<std::size_t>(roi[1]) * static_cast<std::size_t>(roi[2]), 1.0f);
    if (!s.gaussian)
        return map;
    std::array<std::vector<float>, 3> axis;
    for (std::size_t a = 0; a < 3; ++a) {
        const float sigma = static_cast<float>(roi[a] * s.sigmaScale);
        for (int i = 0; i < roi[a]; ++i) {
            const float x = static_cast<float>(i) - static_cast<float>(roi[a] - 1) / 2.0f;
            axis[a].push_back(std::exp(x * x / (-2.0f * sigma * sigma)));
        }
    }
    for (int x = 0; x < roi[0]; ++x)
        for (int y = 0; y < roi[1]; ++y)
            for (int z = 0; z < roi[2]; ++z)
                map[offset(roi, x, y, z)] = axis[0][static_cast<std::size_t>(x)] * axis[1][static_cast<std::size_t>(y)] * axis[2][static_cast<std::size_t>(z)];
    const float floor = std::max(*std::min_element(map.begin(), map.end()), 1e-3f);
    for (float& v : map)
        v = std::max(v, floor);
    return map;
}

namespace {

/// Adds a window's weighted prediction and its weights at `start` of the padded output.
void addWindow(Grid& out, std::vector<float>& count, const Grid& pred, const std::vector<float>& weight, const std::array<int, 3>& start)
{
    const auto& roi = pred.size;
    for (int x = 0; x < roi[0]; ++x)
        for (int y = 0; y < roi[1]; ++y)
            for (int z = 0; z < roi[2]; ++z) {
                const std::size_t o = offset(out.size, start[0] + x, start[1] + y, start[2] + z), r = offset(roi, x, y, z);
                count[o] += weight[r];
                for (int c = 0; c < out.channels; ++c)
                    out.data[static_cast<std::size_t>(c) * out.positions() + o] += pred.data[static_cast<std::size_t>(c) * pred.positions() + r] * weight[r];
            }
}

/// The sums divided by the weights, the padding cut off.
Grid normalisedUnpadded(const Grid& out, const std::vector<float>& count, const std::array<int, 3>& size, const std::array<int, 3>& pad)
{
    Grid cut;
    cut.channels = out.channels;
    cut.size = size;
    cut.data.resize(static_cast<std::size_t>(out.channels) * cut.positions());
    for (int c = 0; c < out.channels; ++c)
        for (int x = 0; x < size[0]; ++x)
            for (int y = 0; y < size[1]; ++y)
                for (int z = 0; z < size[2]; ++z) {
                    const std::size_t o = offset(out.size, x + pad[0], y + pad[1], z + pad[2]);
                    cut.data[static_cast<std::size_t>(c) * cut.positions() + offset(size, x, y, z)] =
                        out.data[static_cast<std::size_t>(c) * out.positions() + o] / count[o];
                }
    return cut;
}

} // namespace

Grid slidingWindow(const Grid& image, const std::array<int, 3>& roi, const SlidingWindowSettings& settings, int channels,
                   const std::function<Grid(const Grid&)>& predictor, Progress* progress)
{
    check<ShapeError>(image.channels == 1, "sliding window: a one-channel image is needed");
    std::array<int, 3> pad{}, padded{};
    std::array<std::vector<int>, 3> starts;
    for (std::size_t a = 0; a < 3; ++a) {
        pad[a] = std::max(roi[a] - image.size[a], 0) / 2;
        padded[a] = std::max(image.size[a], roi[a]);
        starts[a] = windowStarts(padded[a], roi[a], settings.overlap);
    }
    const std::vector<float> weight = importanceMap(roi, settings);
    Grid out;
    out.channels = channels;
    out.size = padded;
    out.data.assign(static_cast<std::size_t>(channels) * out.positions(), 0.0f);
    std::vector<float> count(out.positions(), 0.0f);
    const long total = static_cast<long>(starts[0].size() * starts[1].size() * starts[2].size());
    long done = 0;
    for (int sx : starts[0])
        for (int sy : starts[1])
            for (int sz : starts[2]) {
                if (progress)
                    progress->step(done, total, "window " + std::to_string(done + 1) + " of " + std::to_string(total));
                ++done;
                const Grid pred = predictor(window(image, pad, {sx, sy, sz}, roi));
                check<ShapeError>(pred.channels == channels && pred.size == roi, "sliding window: the prediction does not fit the window");
                addWindow(out, count, pred, weight, {sx, sy, sz});
            }
    return normalisedUnpadded(out, count, image.size, pad);
}

} // namespace attn
