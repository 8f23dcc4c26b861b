#pragma once
/// @file BenchTiming.h
/// How attnscope-bench times a measurement: a cold first run apart, then the best of the rest.

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace attn::bench {

struct Timing {
    double cold = 0;           ///< The first run of the process (pays for first-touch page faults).
    double best = 0;           ///< Best of the timed runs that follow it.
    std::vector<double> runs;  ///< Every timed run, in order.
};

/// Times f once cold, then `repeats` times; `between` (untimed) runs after the cold run and after
/// each timed run, so that every timed run has one `between` just before it and one just after.
template <class F, class G>
inline Timing timeRuns(int repeats, F&& f, G&& between)
{
    const auto seconds = [&] {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    Timing t{seconds(), 1e30, {}};
    between();
    for (int i = 0; i < repeats; ++i) {
        t.runs.push_back(seconds());
        t.best = std::min(t.best, t.runs.back());
        between();
    }
    return t;
}

template <class F>
inline Timing timeRuns(int repeats, F&& f)
{
    return timeRuns(repeats, std::forward<F>(f), [] {});
}

inline int threads()
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/// FLOPs of an n x n x n product (2 per multiply-add).
double gemmFlops(long n);
/// Eigen's float32 rate on an n x n x n product, best of `repeats` after a cold one, in GFLOP/s.
double gemmRate(long n, int repeats);
/// One encoder layer's matrix products alone (bench_products.cpp): argv is products TOKENS D FF HEADS [gated] [repeats].
int productsBench(int argc, char** argv);

/// The patient-record measurements (bench_ehr.cpp): mode is ehr-load, meds, meds-convert or ehr.
int ehrBench(const std::string& mode, int argc, char** argv);
/// attnscope-bench importance (bench_importance.cpp).
int importanceBench(const std::string& dir, int repeats, const std::string& ablation);

} // namespace attn::bench
