#include "kinds/Workspace.h"

#include "kinds/Kind.h"

#include <utility>

namespace attn::kinds {

Workspace::Workspace(const Kind& kind, WorkspaceHost& host) : kind_(kind), host_(host) {}

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
