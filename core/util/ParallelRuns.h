#pragma once
/// @file ParallelRuns.h
/// Independent runs of a model (one per ablated head, per pruning step) spread over the OpenMP
/// threads, one run per thread: each run is then single-threaded inside (OpenMP does not nest), so
/// the parts of a forward that do not parallelise well (small products, LayerNorms, the first-token
/// layer) run side by side as well. Cancel and errors leave the loop the way they leave a serial one.

#include <functional>
#include <string>

namespace attn {

class Progress;

/// Calls run(i, progress) for i in [0, count), on the OpenMP threads in any order. Each call gets a
/// Progress that reports nothing and asks `progress`'s Cancel (which must be safe to ask from any
/// thread, as BackgroundJob's is). `progress` (or nothing, when null) reports count steps, under a
/// lock, each named by what(i). A Cancel seen by any run stops the remaining ones and throws
/// Cancelled after the loop; the first other exception is rethrown after the loop.
void parallelRuns(int count, const std::function<void(int, Progress&)>& run, const std::function<std::string(int)>& what,
                  Progress* progress);

} // namespace attn
