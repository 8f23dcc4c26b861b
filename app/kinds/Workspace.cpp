#include "kinds/Workspace.h"

#include "kinds/Kind.h"

#include <utility>

namespace attn::kinds {

Workspace::Workspace(const Kind& kind, WorkspaceHost& host) : kind_(kind), host_(host)
{
    connect(this, &Workspace::message, this, [this](const QString& text) { lastMessage_ = text; });
    connect(&explorer_, &widgets::ExplorerState::headEditRequested, this, &Workspace::editHead);
    connect(&explorer_, &widgets::ExplorerState::headRestoreRequested, this, &Workspace::restoreHeads);
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

void Workspace::modelOpened()
{
    interventions_ = {};
    modelChanged();
}

void Workspace::setInterventions(Interventions interventions)
{
    const auto model = host_.model();
    try {
        if (model && !interventions.empty())
            interventions.checkFits(model->encoderConfig().nLayers, model->encoderConfig().nHeads, false); // the menus change main heads
    } catch (const std::exception& e) {
        host_.showError(tr("Cannot change the head"), QString::fromStdString(e.what()));
        return;
    }
    interventions_ = std::move(interventions);
    if (canRun())
        run();
}

void Workspace::editHead(const HeadEdit& edit)
{
    std::vector<HeadEdit> edits;
    for (const HeadEdit& e : interventions_.edits())
        if (!(e.layer == edit.layer && e.head == edit.head && e.part == edit.part && e.onWeights() == edit.onWeights()))
            edits.push_back(e);
    edits.push_back(edit);
    setInterventions(Interventions(std::move(edits)));
}

void Workspace::restoreHeads(int layer, int head)
{
    std::vector<HeadEdit> edits;
    for (const HeadEdit& e : interventions_.edits())
        if (layer >= 0 && !(e.layer == layer && e.head == head && e.part == AttentionPart::Main))
            edits.push_back(e);
    setInterventions(Interventions(std::move(edits)));
}

RunOptions Workspace::runOptions() const
{
    RunOptions options;
    options.interventions = interventions_;
    return options;
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
