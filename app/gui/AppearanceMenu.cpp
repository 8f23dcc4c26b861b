#include "gui/AppearanceMenu.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QSettings>

namespace attn::app {

void addAppearanceMenu(QMenu* view, widgets::ExplorerState& explorer)
{
    view->addSeparator();
    QMenu* maps = view->addMenu(QObject::tr("&Colormap"));
    auto* group = new QActionGroup(maps);
    QSettings settings;
    const QString chosen = settings.value("view/colormap", "viridis").toString();
    for (const std::string& n : Colormap::names()) {
        const QString name = QString::fromStdString(n);
        QAction* a = maps->addAction(name, &explorer, [&explorer, name] {
            explorer.setColormap(name);
            QSettings().setValue("view/colormap", name);
        });
        a->setCheckable(true);
        a->setChecked(name == chosen);
        group->addAction(a);
    }
    try {
        explorer.setColormap(chosen);
    } catch (const std::exception&) {
        explorer.setColormap("viridis"); // a stale setting
    }
    QAction* log = view->addAction(QObject::tr("&Logarithmic colour scale"), &explorer, [&explorer](bool on) {
        explorer.setScale(on ? ColourScale::Log : ColourScale::Linear);
        QSettings().setValue("view/logScale", on);
    });
    log->setCheckable(true);
    log->setChecked(settings.value("view/logScale", false).toBool());
    explorer.setScale(log->isChecked() ? ColourScale::Log : ColourScale::Linear);
    // the checks follow the state, however it changed (a restored session sets it directly)
    QObject::connect(&explorer, &widgets::ExplorerState::appearanceChanged, maps, [&explorer, group, log] {
        const QString name = QString::fromStdString(explorer.colormap().name());
        for (QAction* a : group->actions())
            a->setChecked(a->text() == name);
        log->setChecked(explorer.scale() == ColourScale::Log);
    });
}

} // namespace attn::app
