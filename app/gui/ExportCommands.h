#pragma once
/// @file ExportCommands.h
/// File > Export: the entries of the moment (refilled each time the menu opens), where to write
/// (a file dialog with the remembered folder, and for PNG the remembered DPI), and the writing
/// itself. The view's figure is taken at once, on the GUI thread; the file is then written on a
/// background job whose progress and Cancel the status bar shows, so the window stays live during
/// a 1200-DPI PNG. A failure or a Cancel leaves whatever was at the path as it was.

#include "common/BackgroundJob.h"
#include "common/FigureSource.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QMenu;
class QWidget;

namespace attn::kinds {
class WorkspaceHost;
}

namespace attn::app {

/// One File > Export entry: menu text, suggested file name, what is drawn, and whether there is
/// anything to draw yet. A null source is a separator.
struct ExportMenuEntry {
    QString title;
    QString fileName;
    const widgets::FigureSource* source;
    bool ready;
};

/// The export menu and its job.
class ExportCommands : public QObject {
    Q_OBJECT
public:
    /// Fills `menu` from `entries()` whenever it opens; dialogs are children of `window`;
    /// outcomes go to `host` (errors as dialogs, the rest in the status bar).
    ExportCommands(QMenu* menu, QWidget* window, kinds::WorkspaceHost& host,
                   std::function<std::vector<ExportMenuEntry>()> entries);
    /// The job writing the file (for the status bar's indicator, and tests).
    widgets::BackgroundJob& job() { return job_; }
    /// Takes `source`'s figure or data now and starts writing it to `path` (dpi for a PNG).
    /// Returns false, after reporting why, when it cannot start (a bad format or resolution,
    /// or an export still being written).
    bool start(const widgets::FigureSource& source, const QString& path, int dpi);

private:
    void fill(QMenu* menu);
    void exportInteractively(const ExportMenuEntry& entry);

    QWidget* window_;
    kinds::WorkspaceHost& host_;
    std::function<std::vector<ExportMenuEntry>()> entries_;
    widgets::BackgroundJob job_;
    QString writing_; ///< The path being written.
};

} // namespace attn::app
