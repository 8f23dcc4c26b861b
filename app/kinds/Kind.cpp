#include "kinds/Kind.h"

#include "util/Error.h"

namespace attn::kinds {

void Kind::exportFigure(const std::string& view, const KindRun&, widgets::ExplorerState&, const ExportArgs& args) const
{
    throw FormatError(args.model + ": --view " + view + " is not a view of " + name() + " runs");
}

} // namespace attn::kinds
