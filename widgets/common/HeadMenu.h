#pragma once
/// @file HeadMenu.h
/// The context menu of a head, the same in every view that shows heads (the grid, the statistics,
/// the map): ablate it (zero, mean, uniform), change its temperature, restore it or every head.
/// Its requests go through the state (ExplorerState::requestHeadEdit), to the input's workspace.

#include "common/ExplorerState.h"

class QMenu;
class QString;
class QPoint;
class QWidget;

namespace attn::widgets {

/// The menu of head (layer, head) of the state's run (the caller shows it and deletes it). Its actions'
/// object names: ablateZero, ablateMean, ablateUniform, temperatureSlider, restoreHead, restoreAll.
QMenu* headMenu(ExplorerState& state, int layer, int head, QWidget* parent);

/// A short mark of a head's edit for views that mark changed heads: "0", "mean", "unif", "T2", "x1.5", "=H1".
QString editTag(const HeadEdit& edit);
/// The marks of head (layer, head) in the state's run, joined ("" when unchanged).
QString editTags(const ExplorerState& state, int layer, int head);

/// Shows the menu at a screen position (for a view's contextMenuEvent); nothing without a run or
/// outside the run's heads.
void execHeadMenu(ExplorerState& state, int layer, int head, const QPoint& globalPos, QWidget* parent);

} // namespace attn::widgets
