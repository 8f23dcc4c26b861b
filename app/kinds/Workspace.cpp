#include "kinds/Workspace.h"

#include "kinds/Kind.h"

namespace attn::kinds {

Workspace::Workspace(const Kind& kind, WorkspaceHost& host) : kind_(kind), host_(host) {}

bool Workspace::canRun() const
{
    const auto model = host_.model();
    return hasData() && model && kind_.runs(*model);
}

} // namespace attn::kinds
