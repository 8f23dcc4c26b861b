#include "gui/ExportCommands.h"

#include "export/FigureExport.h"
#include "kinds/Workspace.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>

#include <exception>

namespace attn::app {

ExportCommands::ExportCommands(QMenu* menu, QWidget* window, kinds::WorkspaceHost& host,
                               std::function<std::vector<ExportMenuEntry>()> entries)
    : QObject(window), window_(window), host_(host), entries_(std::move(entries))
{
    menu->setObjectName("exportMenu");
    connect(menu, &QMenu::aboutToShow, this, [this, menu] { fill(menu); });
    connect(&job_, &widgets::BackgroundJob::succeeded, this, [this] { host_.showStatus(tr("Exported %1").arg(writing_)); });
    connect(&job_, &widgets::BackgroundJob::failed, this,
            [this](const QString& message) { host_.showError(tr("Export failed"), message); });
    connect(&job_, &widgets::BackgroundJob::cancelled, this,
            [this] { host_.showStatus(tr("Export cancelled: %1 is as it was").arg(writing_)); });
}

bool ExportCommands::start(const widgets::FigureSource& source, const QString& path, int dpi)
{
    if (job_.isRunning()) {
        host_.showError(tr("Export in progress"),
                        tr("%1 is still being written. Wait for it, or cancel it in the status bar.").arg(writing_));
        return false;
    }
    widgets::ExportSnapshot snapshot;
    try {
        QApplication::setOverrideCursor(Qt::WaitCursor); // a 3D figure is ray-cast anew: seconds without a GPU
        const auto restore = qScopeGuard([] { QApplication::restoreOverrideCursor(); });
        snapshot = widgets::takeExport(source, path, dpi);
    } catch (const std::exception& e) {
        host_.showError(tr("Export failed"), QString::fromStdString(e.what()));
        return false;
    }
    writing_ = path;
    job_.start([snapshot = std::move(snapshot)](Progress& progress) { widgets::writeExport(snapshot, progress); });
    return true;
}

void ExportCommands::fill(QMenu* menu)
{
    menu->clear();
    for (const ExportMenuEntry& e : entries_()) {
        if (!e.source) {
            menu->addSeparator();
            continue;
        }
        menu->addAction(e.title, this, [this, e] {
            if (!e.ready)
                return host_.showError(tr("Nothing to export"), tr("Open data and run a model first."));
            exportInteractively(e);
        });
    }
}

void ExportCommands::exportInteractively(const ExportMenuEntry& entry)
{
    QSettings settings;
    QString folder = settings.value("folders/export").toString();
    if (folder.isEmpty()) // the first export: the user's documents, never the root of the disk
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    QString filter = tr("PNG image (*.png)");
    QString filters = tr("PNG image (*.png);;SVG vector figure (*.svg);;PDF vector figure (*.pdf);;"
                         "CSV table of the data (*.csv);;NumPy array of the data (*.npy)");
    if (entry.source->figureVolume()) // a study's figure: its overlay's numbers on the study's grid
        filters += tr(";;NIfTI volume of the overlay, every voxel (*.nii.gz *.nii)");
    const QString path = QFileDialog::getSaveFileName(window_, tr("Export %1").arg(entry.fileName),
                                                      folder + "/" + entry.fileName + ".png", filters, &filter);
    if (path.isEmpty())
        return;
    settings.setValue("folders/export", QFileInfo(path).absolutePath());
    int dpi = settings.value("export/dpi", 300).toInt();
    if (QFileInfo(path).suffix().toLower() == "png") {
        bool ok = false;
        dpi = QInputDialog::getInt(window_, tr("PNG resolution"), tr("Resolution of %1, in dots per inch:").arg(QFileInfo(path).fileName()),
                                   dpi, 24, 2400, 50, &ok);
        if (!ok)
            return;
        settings.setValue("export/dpi", dpi);
    }
    start(*entry.source, path, dpi);
}

} // namespace attn::app
