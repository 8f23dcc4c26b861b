#pragma once
/// @file RunController.h
/// Runs a model in the background: progress, Cancel, and the result (or the error)
/// delivered on the GUI thread. The window stays responsive; a cancelled or failed run
/// leaves whatever was shown before untouched.

#include "common/RunData.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace attn::app {

/// One background run at a time.
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    /// Starts a run of model on sequence; a run still going is cancelled first.
    void start(std::shared_ptr<const EncoderModel> model, std::string sequence, QString name, RunOptions options);
    /// Asks the current run to stop at the next layer boundary.
    void cancel();
    /// True while a run is going.
    bool isRunning() const { return thread_ != nullptr; }
    /// Blocks until the current run (if any) has finished and its signal was sent (tests, shutdown).
    void wait();

signals:
    /// Progress of the current run, done of total layers.
    void progress(int done, int total, const QString& what);
    /// The run finished.
    void finished(const attn::widgets::RunData& run);
    /// The run failed; message names the problem.
    void failed(const QString& message);
    /// The run was cancelled.
    void cancelled();
    /// Emitted after finished / failed / cancelled.
    void stopped();

private:
    void onThreadDone(QThread* thread);

    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
    struct Outcome;
    std::shared_ptr<Outcome> outcome_;
};

} // namespace attn::app
