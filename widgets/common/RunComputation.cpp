#include "common/RunComputation.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace attn::widgets {

RunComputation::RunComputation(const QString& label, const QStringList& choices, QWidget* parent)
    : QWidget(parent), choice_(new QComboBox), compute_(new QPushButton(tr("Compute"))), cancel_(new QPushButton(tr("Cancel"))),
      progress_(new QProgressBar)
{
    choice_->addItems(choices);
    progress_->setMaximumWidth(110);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    row->addWidget(new QLabel(label));
    row->addWidget(choice_);
    row->addWidget(compute_);
    row->addWidget(progress_);
    row->addWidget(cancel_);
    row->addStretch(1);
    connect(compute_, &QPushButton::clicked, this, &RunComputation::computeRequested);
    connect(cancel_, &QPushButton::clicked, &job_, &BackgroundJob::cancel);
    connect(choice_, &QComboBox::currentIndexChanged, this, &RunComputation::changed);
    connect(&job_, &BackgroundJob::progress, this, [this](int done, int total) {
        progress_->setRange(0, std::max(1, total));
        progress_->setValue(done);
    });
    connect(&job_, &BackgroundJob::succeeded, this, [this] {
        if (pending_.run.lock().get() == pendingKey_.run) // the run is still there
            kept_[pendingKey_] = pending_;
    });
    connect(&job_, &BackgroundJob::stopped, this, &RunComputation::changed);
}

std::shared_ptr<const void> RunComputation::find(const RunResult* run) const
{
    const auto it = kept_.find({run, choice_->currentIndex()});
    return it == kept_.end() || it->second.run.lock().get() != run ? nullptr : it->second.result;
}

void RunComputation::start(const std::shared_ptr<const RunResult>& run, std::shared_ptr<const void> result, std::function<void(Progress&)> work)
{
    std::erase_if(kept_, [](const auto& k) { return k.second.run.expired(); }); // results of runs gone (a source's maps are large)
    pendingKey_ = {run.get(), choice_->currentIndex()};
    pending_ = {run, std::move(result)};
    job_.start(std::move(work));
}

void RunComputation::refresh(const RunResult* run, bool can)
{
    const bool running = job_.isRunning();
    compute_->setEnabled(!running && can && !find(run));
    cancel_->setVisible(running);
    progress_->setVisible(running);
}

} // namespace attn::widgets
