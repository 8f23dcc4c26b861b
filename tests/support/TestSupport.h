#pragma once
/// @file TestSupport.h
/// Helpers shared by the tests: test-data paths, temporary copies, tensor comparison.

#include "attention/AttentionStore.h"
#include "io/Npy.h"
#include "tensor/Tensor.h"

#include <QString>
#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attn::test {

/// Root of tests/data.
inline std::filesystem::path dataDir()
{
    return ATTNSCOPE_TEST_DATA;
}

/// Root of resources/ (the demo models and data the application ships).
inline std::filesystem::path resourcesDir()
{
    return ATTNSCOPE_RESOURCES;
}

/// The demo CT study the application ships (resources/data/ct_demo).
inline std::filesystem::path ctDemoStudy()
{
    return resourcesDir() / "data" / "ct_demo";
}

/// A golden case directory, tests/data/golden/NAME.
inline std::filesystem::path goldenDir(const std::string& name)
{
    return dataDir() / "golden" / name;
}

/// KL(softmax(a) || softmax(b)) in double, written out here from its definition.
inline double klDivergence(const std::vector<float>& a, const std::vector<float>& b)
{
    const auto logSoftmax = [](const std::vector<float>& x) {
        double top = x[0], sum = 0;
        for (float v : x)
            top = std::max(top, static_cast<double>(v));
        for (float v : x)
            sum += std::exp(v - top);
        std::vector<double> out;
        for (float v : x)
            out.push_back(v - top - std::log(sum));
        return out;
    };
    const auto p = logSoftmax(a), q = logSoftmax(b);
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i)
        kl += std::exp(p[i]) * (p[i] - q[i]);
    return kl;
}

/// Largest absolute elementwise difference; infinity when the sizes differ.
inline float maxAbsDiff(const float* a, const float* b, std::size_t n)
{
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = std::abs(a[i] - b[i]);
        worst = (d > worst || d != d) ? d : worst;
    }
    return worst;
}

/// Largest absolute difference between a matrix and an expected tensor of the same size.
inline float maxAbsDiff(const Matrix& actual, const Tensor& expected)
{
    if (static_cast<std::int64_t>(actual.size()) != expected.numel())
        return std::numeric_limits<float>::infinity();
    return maxAbsDiff(actual.data(), expected.data.data(), expected.data.size());
}

/// The largest difference between every layer of a store and the expected [layers, ...] array.
inline float storeDiff(const AttentionStore& store, const Tensor& expected)
{
    const std::size_t perLayer = expected.data.size() / static_cast<std::size_t>(store.layers());
    if (perLayer * static_cast<std::size_t>(store.layers()) != expected.data.size()
        || static_cast<Index>(perLayer) != store.heads() * store.length() * store.length())
        return std::numeric_limits<float>::infinity();
    std::vector<float> layer(perLayer);
    float worst = 0.0f;
    for (int l = 0; l < store.layers(); ++l) {
        store.copyLayer(l, layer.data());
        worst = std::max(worst, maxAbsDiff(layer.data(), expected.data.data() + static_cast<std::size_t>(l) * perLayer, perLayer));
    }
    return worst;
}

/// The largest difference between every layer of a store and the golden files PREFIXXX.npy of `dir`
/// (expected_layer_XX.npy by default; [heads, L, L] each); infinity when a file has another shape.
inline float layerFilesDiff(const AttentionStore& store, const std::filesystem::path& dir, const QString& prefix = "expected_layer_")
{
    float worst = 0.0f;
    for (int l = 0; l < store.layers(); ++l) {
        const Tensor e = readNpy(dir / QString("%1%2.npy").arg(prefix).arg(l, 2, 10, QChar('0')).toStdString());
        if (e.shape != std::vector<std::int64_t>{store.heads(), store.length(), store.length()})
            return std::numeric_limits<float>::infinity();
        std::vector<float> a(e.data.size());
        store.copyLayer(l, a.data());
        worst = std::max(worst, maxAbsDiff(a.data(), e.data.data(), a.size()));
    }
    return worst;
}

/// Copies a directory tree into a fresh temporary directory and returns its path.
inline std::filesystem::path copyToTemp(const QTemporaryDir& tmp, const std::filesystem::path& from, const std::string& name)
{
    const std::filesystem::path to = std::filesystem::path(tmp.path().toStdString()) / name;
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
    return to;
}

/// The message of the E that f throws, or nothing if it throws none.
template <class E, class F>
std::optional<std::string> thrownMessage(F&& f)
{
    try {
        f();
    } catch (const E& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

/// Writes text to a file.
void writeText(const std::filesystem::path& path, const std::string& text);

/// Reads a whole text file.
std::string readText(const std::filesystem::path& path);

} // namespace attn::test
