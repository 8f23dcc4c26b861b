#pragma once
/// @file Progress.h
/// How the core reports progress and learns of cancellation without knowing the GUI.

#include <atomic>
#include <string>

namespace attn {

/// Thrown by Progress::step() when the user asked to cancel.
struct Cancelled {
};

/// Progress sink pushed down into long core operations. Implementations above the
/// core (Qt job runner, CLI) decide how to show it. The default does nothing.
class Progress {
public:
    virtual ~Progress() = default;
    /// Reports that `done` of `total` units are complete; `what` names the stage.
    virtual void report(long done, long total, const std::string& what) { (void)done, (void)total, (void)what; }
    /// True when the operation should stop as soon as it can.
    virtual bool cancelled() const { return false; }
    /// Reports progress, then throws Cancelled if cancellation was requested.
    void step(long done, long total, const std::string& what)
    {
        report(done, total, what);
        if (cancelled())
            throw Cancelled{};
    }
};

/// Cancellation inside a parallel (OpenMP) loop, where exceptions may not leave the region:
/// each iteration asks stop() and skips its work once any thread saw a Cancel; after the
/// loop, throwIfCancelled() throws it.
class ParallelCancel {
public:
    explicit ParallelCancel(const Progress* progress) : progress_(progress) {}
    /// True once cancellation was asked (by this call or an earlier one on any thread).
    bool stop()
    {
        if (stopped_.load(std::memory_order_relaxed))
            return true;
        if (progress_ && progress_->cancelled()) {
            stopped_.store(true, std::memory_order_relaxed);
            return true;
        }
        return false;
    }
    /// Throws Cancelled if stop() ever returned true.
    void throwIfCancelled() const
    {
        if (stopped_.load())
            throw Cancelled{};
    }

private:
    const Progress* progress_;
    std::atomic<bool> stopped_{false};
};

} // namespace attn
