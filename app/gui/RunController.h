#pragma once
/// @file RunController.h
/// Runs a model in the background (a BackgroundJob): progress, Cancel, and the result (or
/// the error) delivered on the GUI thread. The window stays responsive; a cancelled or
/// failed run leaves whatever was shown before untouched.

#include "common/RunData.h"
#include "gui/BackgroundJob.h"

#include <QObject>
#include <QString>

#include <memory>

namespace attn::app {

/// One background run at a time.
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);

    /// Starts a run of model on sequence; a run still going is cancelled first.
    void start(std::shared_ptr<const EncoderModel> model, std::string sequence, QString name, RunOptions options);
    /// Asks the current run to stop at the next layer boundary.
    void cancel() { job_.cancel(); }
    /// True while a run is going.
    bool isRunning() const { return job_.isRunning(); }
    /// Blocks until the current run (if any) has finished and its signal was sent (tests, shutdown).
    void wait() { job_.wait(); }

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
    BackgroundJob job_;
    std::shared_ptr<widgets::RunData> result_;
};

} // namespace attn::app
