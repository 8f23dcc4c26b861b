#pragma once
/// @file BackgroundJob.h
/// One piece of work at a time on a worker thread, with progress and Cancel, its outcome
/// delivered on the GUI thread. The work is a function of a core Progress (which it calls
/// so that a Cancel stops it at its next step); what it produces it keeps itself.

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

class QThread;

namespace attn {
class Progress;
}

namespace attn::widgets {

/// Runs work off the GUI thread; a new start cancels and waits for the previous one.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    /// Starts work(progress) on a worker thread.
    void start(std::function<void(Progress&)> work);
    /// Asks the work to stop at its next progress step.
    void cancel();
    /// True while work is going.
    bool isRunning() const { return thread_ != nullptr; }
    /// Blocks until the work has finished and its signals were sent (tests, shutdown).
    void wait();

signals:
    /// Work started (after the previous work, if any, stopped).
    void started();
    /// Progress: done of total, and what is being done.
    void progress(int done, int total, const QString& what);
    /// The work returned normally.
    void succeeded();
    /// The work threw; message names the problem.
    void failed(const QString& message);
    /// The work stopped because of Cancel.
    void cancelled();
    /// Emitted after succeeded / failed / cancelled.
    void stopped();

private:
    void onThreadDone();

    QThread* thread_ = nullptr;
    std::uint64_t generation_ = 0; ///< Of the thread started last.
    std::shared_ptr<std::atomic<bool>> cancel_;
    struct Outcome;
    std::shared_ptr<Outcome> outcome_;
};

} // namespace attn::widgets
