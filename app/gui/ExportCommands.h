#pragma once
/// @file ExportCommands.h
/// Asking where (and at what resolution) to export a view, then exporting it.

#include "common/FigureSource.h"

#include <QString>

#include <functional>
#include <vector>

class QMenu;

class QWidget;

namespace attn::app {

/// Asks for a file (PNG, SVG, PDF, CSV or NPY, remembered folder) and, for PNG, a DPI
/// (remembered), then writes the figure or its data. Returns the error message, or an
/// empty string on success or when the user cancelled.
QString exportInteractively(QWidget* parent, const widgets::FigureSource& source, const QString& baseName);

/// One File > Export entry: menu text, suggested file name, what is drawn, and whether there is
/// anything to draw yet.
struct ExportMenuEntry {
    QString title;
    QString fileName;
    const widgets::FigureSource* source;
    bool ready;
};

/// Refills `menu` with entries (a null source is a separator); a chosen entry exports
/// interactively and reports failures (or that there is nothing to export) through `error`.
void fillExportMenu(QMenu* menu, QWidget* parent, const std::vector<ExportMenuEntry>& entries,
                    const std::function<void(const QString& title, const QString& message)>& error);

} // namespace attn::app
