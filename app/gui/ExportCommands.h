#pragma once
/// @file ExportCommands.h
/// Asking where (and at what resolution) to export a view, then exporting it.

#include "common/FigureSource.h"

#include <QString>

class QWidget;

namespace attn::app {

/// Asks for a file (PNG, SVG, PDF, CSV or NPY, remembered folder) and, for PNG, a DPI
/// (remembered), then writes the figure or its data. Returns the error message, or an
/// empty string on success or when the user cancelled.
QString exportInteractively(QWidget* parent, const widgets::FigureSource& source, const QString& baseName);

} // namespace attn::app
