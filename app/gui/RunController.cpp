#include "gui/RunController.h"

#include "util/Progress.h"

namespace attn::app {

RunController::RunController(QObject* parent) : QObject(parent)
{
    connect(&job_, &BackgroundJob::progress, this, &RunController::progress);
    connect(&job_, &BackgroundJob::succeeded, this, [this] { emit finished(*result_); });
    connect(&job_, &BackgroundJob::failed, this, &RunController::failed);
    connect(&job_, &BackgroundJob::cancelled, this, &RunController::cancelled);
    connect(&job_, &BackgroundJob::stopped, this, &RunController::stopped);
}

void RunController::start(std::shared_ptr<const EncoderModel> model, std::string sequence, QString name, RunOptions options)
{
    auto result = std::make_shared<widgets::RunData>();
    job_.start([model = std::move(model), sequence = std::move(sequence), name, options, result](Progress& progress) mutable {
        options.progress = &progress;
        *result = widgets::runSequence(*model, sequence, name, options);
    });
    result_ = result; // after start(): a previous job has finished (and sent its result) by now
}

} // namespace attn::app
