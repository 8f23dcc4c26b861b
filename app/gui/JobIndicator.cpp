#include "gui/JobIndicator.h"

#include "common/BackgroundJob.h"
#include "kinds/Kind.h"
#include "kinds/Workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

namespace attn::app {

JobIndicator::JobIndicator(QWidget* parent)
    : QWidget(parent), label_(new QLabel), progress_(new QProgressBar), cancel_(new QToolButton)
{
    setObjectName("jobIndicator");
    cancel_->setObjectName("jobCancel");
    cancel_->setText(tr("Cancel"));
    progress_->setMaximumWidth(160);
    progress_->setTextVisible(false);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(label_);
    row->addWidget(progress_);
    row->addWidget(cancel_);
    connect(cancel_, &QToolButton::clicked, this, &JobIndicator::cancelAll);
    hide();
}

void JobIndicator::follow(widgets::BackgroundJob& job, const QString& what)
{
    jobs_.push_back(&job);
    names_.push_back(what);
    connect(&job, &widgets::BackgroundJob::started, this, &JobIndicator::refresh);
    connect(&job, &widgets::BackgroundJob::stopped, this, &JobIndicator::refresh);
    connect(&job, &widgets::BackgroundJob::progress, this, [this, what](int done, int total, const QString& stage) {
        label_->setText(QString("%1: %2").arg(what, stage));
        progress_->setRange(0, std::max(total, 0));
        progress_->setValue(done);
    });
}

void JobIndicator::cancelAll()
{
    for (widgets::BackgroundJob* job : jobs_)
        if (job->isRunning())
            job->cancel();
}

void JobIndicator::refresh()
{
    QString running;
    for (std::size_t i = 0; i < jobs_.size(); ++i)
        if (jobs_[i]->isRunning())
            running = names_[i];
    setVisible(!running.isEmpty());
    if (!running.isEmpty()) {
        label_->setText(running + "…");
        progress_->setRange(0, 0); // busy until the first progress report
    }
}

JobIndicator* addJobIndicator(QStatusBar* bar, const std::vector<std::unique_ptr<kinds::Workspace>>& workspaces)
{
    auto* indicator = new JobIndicator;
    bar->addPermanentWidget(indicator);
    for (const auto& workspace : workspaces) {
        indicator->follow(workspace->openJob(), QObject::tr("Opening %1").arg(QString::fromStdString(workspace->kind().name())));
        for (const auto& [what, job] : workspace->backgroundJobs())
            indicator->follow(*job, what);
    }
    return indicator;
}

} // namespace attn::app
