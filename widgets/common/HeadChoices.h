#pragma once
/// @file HeadChoices.h
/// A combo box of heads: one leading choice (none, the rollout) with data QPoint(-1, -1), then
/// every layer and head with data QPoint(layer, head).

#include <QString>

class QComboBox;

namespace attn::widgets {

/// Refills `box` (without signals): `first`, then `format` ("layer %1, head %2") for every head.
void fillHeadChoices(QComboBox* box, const QString& first, int layers, int heads, const QString& format);

} // namespace attn::widgets
