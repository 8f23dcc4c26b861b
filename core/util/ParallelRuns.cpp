#include "util/ParallelRuns.h"

#include "util/Progress.h"

#include <atomic>
#include <exception>

namespace attn {
namespace {

/// What a run on an OpenMP thread is given: the outer Cancel, and no reporting.
class CancelOnly : public Progress {
public:
    explicit CancelOnly(const Progress& outer) : outer_(outer) {}
    bool cancelled() const override { return outer_.cancelled(); }

private:
    const Progress& outer_;
};

} // namespace

void parallelRuns(int count, const std::function<void(int, Progress&)>& run, const std::function<std::string(int)>& what,
                  Progress* progress)
{
    Progress none;
    Progress& outer = progress ? *progress : none;
    ParallelCancel cancel(&outer);
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    long done = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < count; ++i) {
        if (failed.load(std::memory_order_relaxed) || cancel.stop())
            continue;
        CancelOnly inner(outer);
        try {
            run(i, inner);
        } catch (const Cancelled&) {
            cancel.stop();
            continue;
        } catch (...) {
#pragma omp critical(attn_parallel_runs)
            if (!error)
                error = std::current_exception();
            failed.store(true, std::memory_order_relaxed);
            continue;
        }
#pragma omp critical(attn_parallel_runs)
        outer.report(++done, count, what(i));
    }
    if (error)
        std::rethrow_exception(error);
    cancel.throwIfCancelled();
}

} // namespace attn
