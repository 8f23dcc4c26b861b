#include "gui/ExportCommands.h"

#include "export/FigureExport.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QScopeGuard>
#include <QSettings>

#include <exception>

namespace attn::app {

QString exportInteractively(QWidget* parent, const widgets::FigureSource& source, const QString& baseName)
{
    QSettings settings;
    const QString folder = settings.value("folders/export").toString();
    QString filter = QObject::tr("PNG image (*.png)");
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export %1").arg(baseName), folder + "/" + baseName + ".png",
        QObject::tr("PNG image (*.png);;SVG vector figure (*.svg);;PDF vector figure (*.pdf);;"
                    "CSV table of the data (*.csv);;NumPy array of the data (*.npy)"),
        &filter);
    if (path.isEmpty())
        return {};
    settings.setValue("folders/export", QFileInfo(path).absolutePath());
    int dpi = settings.value("export/dpi", 300).toInt();
    if (QFileInfo(path).suffix().toLower() == "png") {
        bool ok = false;
        dpi = QInputDialog::getInt(parent, QObject::tr("PNG resolution"), QObject::tr("Dots per inch:"), dpi, 24, 2400,
                                   50, &ok);
        if (!ok)
            return {};
        settings.setValue("export/dpi", dpi);
    }
    QApplication::setOverrideCursor(Qt::WaitCursor); // a 3D figure is ray-cast anew: seconds without a GPU
    const auto restore = qScopeGuard([] { QApplication::restoreOverrideCursor(); });
    try {
        widgets::exportAny(source, path, dpi);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void fillExportMenu(QMenu* menu, QWidget* parent, const std::vector<ExportMenuEntry>& entries,
                    const std::function<void(const QString& title, const QString& message)>& error)
{
    menu->clear();
    for (const ExportMenuEntry& e : entries) {
        if (!e.source) {
            menu->addSeparator();
            continue;
        }
        menu->addAction(e.title, parent, [parent, e, error] {
            if (!e.ready)
                return error(QObject::tr("Nothing to export"), QObject::tr("Open data and run a model first."));
            const QString message = exportInteractively(parent, *e.source, e.fileName);
            if (!message.isEmpty())
                error(QObject::tr("Export failed"), message);
        });
    }
}

} // namespace attn::app
