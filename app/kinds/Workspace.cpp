#include "kinds/Workspace.h"

#include "kinds/Kind.h"

#include <utility>

namespace attn::kinds {

Workspace::Workspace(const Kind& kind, WorkspaceHost& host) : kind_(kind), host_(host)
{
    connect(this, &Workspace::message, this, [this](const QString& text) { lastMessage_ = text; });
    connect(&openJob_, &BackgroundJob::succeeded, this, [this] {
        const std::shared_ptr<ApplyOpened> apply = std::exchange(opening_, nullptr);
        if (!apply || !*apply)
            return;
        if ((*apply)() == OpenedAs::Input) {
            finishOpen();
            return;
        }
        openingCompanion_ = true;
        emit opened();
        openingCompanion_ = false;
    });
    connect(&openJob_, &BackgroundJob::failed, this, [this](const QString& m) {
        opening_.reset();
        failOpen(openErrorTitle_, m);
    });
}

void Workspace::openInBackground(const QString& errorTitle, std::function<ApplyOpened()> read)
{
    if (openJob_.isRunning()) // the read still going is shown first: a structure's alignment, say
        openJob_.wait();
    auto apply = std::make_shared<ApplyOpened>();
    opening_ = apply;
    openErrorTitle_ = errorTitle;
    openJob_.start([read = std::move(read), apply](Progress&) { *apply = read(); });
}

Workspace::~Workspace()
{
    for (const QPointer<QWidget>& w : made_)
        if (w && !w->parent())
            delete w.data();
}

bool Workspace::canRun() const
{
    const auto model = host_.model();
    return hasData() && model && kind_.runs(*model);
}

void Workspace::finishOpen()
{
    if (runJob_.isRunning()) { // a run of the previous input must never land on this one
        const QSignalBlocker quiet(&runJob_);
        runJob_.cancel();
        runJob_.wait();
    }
    explorer_.clearRun(); // the previous input's run and selection are not this input's
    if (!pendingState_.isEmpty())
        applyState(std::exchange(pendingState_, {}));
    emit opened();
}

void Workspace::failOpen(const QString& title, const QString& message)
{
    pendingState_ = {};
    host_.showError(title, message);
    emit openFailed();
}

} // namespace attn::kinds
