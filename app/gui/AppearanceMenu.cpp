#include "gui/AppearanceMenu.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QSettings>

namespace attn::app {

void addAppearanceMenu(QMenu* view, std::vector<widgets::ExplorerState*> states)
{
    view->addSeparator();
    QMenu* maps = view->addMenu(QObject::tr("&Colormap"));
    auto* group = new QActionGroup(maps);
    QSettings settings;
    QString chosen = settings.value("view/colormap", "viridis").toString();
    const auto setColormap = [states](const QString& name) {
        for (widgets::ExplorerState* state : states)
            state->setColormap(name);
    };
    const auto setScale = [states](bool log) {
        for (widgets::ExplorerState* state : states)
            state->setScale(log ? ColourScale::Log : ColourScale::Linear);
    };
    try {
        setColormap(chosen);
    } catch (const std::exception&) {
        setColormap(chosen = "viridis"); // a stale setting
    }
    for (const std::string& n : Colormap::names()) {
        const QString name = QString::fromStdString(n);
        QAction* a = maps->addAction(name, maps, [setColormap, name] {
            setColormap(name);
            QSettings().setValue("view/colormap", name);
        });
        a->setCheckable(true);
        a->setChecked(name == chosen);
        group->addAction(a);
    }
    QAction* log = view->addAction(QObject::tr("&Logarithmic colour scale"), maps, [setScale](bool on) {
        setScale(on);
        QSettings().setValue("view/logScale", on);
    });
    log->setCheckable(true);
    log->setChecked(settings.value("view/logScale", false).toBool());
    setScale(log->isChecked());
    // the checks follow the states, however they changed (a restored session sets them directly)
    for (widgets::ExplorerState* state : states)
        QObject::connect(state, &widgets::ExplorerState::appearanceChanged, maps, [state, group, log] {
            const QString name = QString::fromStdString(state->colormap().name());
            for (QAction* a : group->actions())
                a->setChecked(a->text() == name);
            log->setChecked(state->scale() == ColourScale::Log);
        });
}

} // namespace attn::app
