#pragma once
/// @file BenchSupport.h
/// What the view benchmarks share: synthetic attention like a trained model's (heads from sharp
/// to diffuse) and timing of repeated interactions.

#include "attention/AttentionStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace attn::bench {

/// Writes, into every layer of `store`, heads that are softmaxes of random scores whose spread
/// grows with the head index (sharp to diffuse). The same heads in every layer.
inline void fillSyntheticAttention(AttentionStore& store)
{
    const Index length = store.length();
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    Matrix m(length, length);
    for (int h = 0; h < store.heads(); ++h) {
        const float spread = 0.5f + 1.5f * static_cast<float>(h);
        for (Index i = 0; i < m.size(); ++i)
            m.data()[i] = spread * normal(rng);
        for (Index r = 0; r < length; ++r) {
            auto row = m.row(r).array();
            row = (row - row.maxCoeff()).exp();
            row /= row.sum();
        }
        for (int l = 0; l < store.layers(); ++l)
            store.writeRows(l, h, 0, m);
    }
}

/// Mean and worst time of n calls, ms.
struct Stats {
    double mean = 0, max = 0;
};

/// Times f(0) .. f(n - 1).
template <class F>
Stats timeEach(int n, F&& f)
{
    Stats s;
    for (int i = 0; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f(i);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        s.mean += ms / n;
        s.max = std::max(s.max, ms);
    }
    return s;
}

} // namespace attn::bench
