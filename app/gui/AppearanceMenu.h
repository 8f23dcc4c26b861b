#pragma once
/// @file AppearanceMenu.h
/// View > Colormap and the logarithmic scale of the attention views, remembered in settings.

#include "common/ExplorerState.h"

#include <vector>

class QMenu;

namespace attn::app {

/// Adds the colormap choice and the log-scale toggle to `view`, applying the saved ones now.
void addAppearanceMenu(QMenu* view, std::vector<widgets::ExplorerState*> states);

} // namespace attn::app
