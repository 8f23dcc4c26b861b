#pragma once
/// @file Progress.h
/// How the core reports progress and learns of cancellation without knowing the GUI.

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

} // namespace attn
