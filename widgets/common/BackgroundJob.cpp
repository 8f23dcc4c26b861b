#include "common/BackgroundJob.h"

#include "util/Progress.h"

#include <QMetaObject>
#include <QPointer>
#include <QThread>

#include <exception>
#include <utility>

namespace attn::widgets {

struct BackgroundJob::Outcome {
    QString error;
    bool cancelled = false;
};

namespace {

/// Forwards core progress to the job (queued to the GUI thread) and reports cancellation.
class ThreadProgress : public Progress {
public:
    ThreadProgress(QPointer<BackgroundJob> target, std::shared_ptr<std::atomic<bool>> cancel)
        : target_(std::move(target)), cancel_(std::move(cancel))
    {
    }
    void report(long done, long total, const std::string& what) override
    {
        const QPointer<BackgroundJob> target = target_;
        const QString text = QString::fromStdString(what);
        QMetaObject::invokeMethod(target_.data(), [target, done, total, text] {
            if (target)
                emit target->progress(static_cast<int>(done), static_cast<int>(total), text);
        }, Qt::QueuedConnection);
    }
    bool cancelled() const override { return cancel_->load(); }

private:
    QPointer<BackgroundJob> target_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

} // namespace

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob()
{
    cancel();
    if (thread_) { // no signals from an object being destroyed
        thread_->wait();
        delete thread_;
    }
}

void BackgroundJob::start(std::function<void(Progress&)> work)
{
    if (thread_) {
        cancel();
        wait();
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    outcome_ = std::make_shared<Outcome>();
    auto outcome = outcome_;
    auto progress = std::make_shared<ThreadProgress>(QPointer<BackgroundJob>(this), cancel_);
    thread_ = QThread::create([work = std::move(work), outcome, progress] {
        try {
            work(*progress);
        } catch (const Cancelled&) {
            outcome->cancelled = true;
        } catch (const std::exception& e) {
            outcome->error = QString::fromStdString(e.what());
        }
    });
    const std::uint64_t generation = ++generation_; // a late "finished" of an earlier thread is ignored
    connect(thread_, &QThread::finished, this, [this, generation] {
        if (generation == generation_)
            onThreadDone();
    });
    thread_->start();
    emit started();
}

void BackgroundJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}

void BackgroundJob::wait()
{
    onThreadDone();
}

void BackgroundJob::onThreadDone()
{
    if (!thread_)
        return; // already handled by wait()
    thread_->wait(); // "finished" is sent just before the thread ends
    delete std::exchange(thread_, nullptr); // now, not deleteLater: a wait() near exit must not leak it
    const auto outcome = std::move(outcome_);
    if (outcome->cancelled)
        emit cancelled();
    else if (!outcome->error.isEmpty())
        emit failed(outcome->error);
    else
        emit succeeded();
    emit stopped();
}

} // namespace attn::widgets
