/// attnscope: the desktop application.

#include "gui/MainWindow.h"
#include "gui/Session.h"
#include "kinds/KindRegistry.h"
#include "kinds/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPainter>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include <utility>

namespace {

/// Opens the paths given, or with none (and `demo`) the first kind's demo, silently skipped when
/// its files are missing.
void openStartPaths(attn::app::MainWindow& window, QStringList paths, bool demo)
{
    if (paths.isEmpty() && demo) {
        const attn::kinds::Demo first = attn::kinds::kindRegistry().front()->demo();
        if (!first.model.empty() && !first.data.empty())
            paths = {QString::fromStdString(first.model), QString::fromStdString(first.data)};
    }
    for (const QString& path : paths)
        path.endsWith(".attnscope") ? window.sessions().open(path) : window.openPath(path);
}

/// Gives every workspace these head changes (--intervene, as attnscope-cli run's), after the start
/// paths opened: their runs change those heads; a malformed one is shown as an error.
void intervene(attn::app::MainWindow& window, const QStringList& specs)
{
    std::vector<attn::HeadEdit> edits;
    try {
        for (const QString& spec : specs)
            edits.push_back(attn::parseHeadEdit(spec.toStdString()));
        const attn::Interventions interventions(edits);
        for (const auto& kind : attn::kinds::kindRegistry())
            if (attn::kinds::Workspace* w = window.workspace(*kind); w && window.document().model() && kind->runs(*window.document().model()))
                w->setInterventions(interventions);
    } catch (const std::exception& e) {
        window.showError(QObject::tr("Cannot change the heads"), QString::fromStdString(e.what()));
    }
}

/// Shows the centre tab named `tab` (none: as it is), then a second later saves the window, with
/// a question open over it, as `file` and quits (status 1 when it cannot be written).
void screenshotAndQuit(attn::app::MainWindow& window, const QString& file, const QString& tab)
{
    if (auto* tabs = window.findChild<QTabWidget*>("centreTabs"); tabs && !tab.isEmpty())
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->widget(i)->objectName() == tab)
                tabs->setCurrentIndex(i);
    QTimer::singleShot(1000, &window, [&window, file] {
        QPixmap shot = window.grab();
        if (QWidget* dialog = QApplication::activeModalWidget()) {
            QPainter painter(&shot);
            painter.drawPixmap(dialog->frameGeometry().topLeft() - window.frameGeometry().topLeft(), dialog->grab());
        }
        QApplication::exit(shot.save(file) ? 0 : 1);
    });
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("attnscope");
    QApplication::setApplicationName("attnscope");
    QApplication::setApplicationVersion(ATTNSCOPE_VERSION);
    QCommandLineParser parser;
    parser.setApplicationDescription("Explore multi-head attention in Transformer models");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("paths", "Model folders, data files or a saved session (.attnscope) to open", "[paths...]");
    const QCommandLineOption screenshot("screenshot", "Save a PNG of the window once shown, then quit", "file.png");
    parser.addOption(screenshot);
    const QCommandLineOption noDemo("no-demo", "Start empty instead of opening the splice-site demo");
    parser.addOption(noDemo);
    const QCommandLineOption run("run", "Run the open model on the open data once both are loaded (any kind)");
    parser.addOption(run);
    const QCommandLineOption tab("tab", "With --screenshot: show this centre tab first (its object name, e.g. contactsTab)", "name");
    parser.addOption(tab);
    const QCommandLineOption size("size", "The window's size, e.g. 1280x800 (a laptop) or 1920x1080", "WxH");
    parser.addOption(size);
    const QCommandLineOption heads("intervene", "Change a head in every run, as attnscope-cli run --intervene: L,H:KIND with KIND zero, mean, "
                                                "uniform or T=x (repeatable)", "L,H:KIND");
    parser.addOption(heads);
    parser.process(app);
    attn::app::MainWindow window;
    if (const QStringList wh = parser.value(size).split('x'); wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
        window.resize(wh[0].toInt(), wh[1].toInt());
    window.show();
    window.setRunWhenReady(parser.isSet(run));
    openStartPaths(window, parser.positionalArguments(), !parser.isSet(noDemo));
    if (parser.isSet(heads))
        intervene(window, parser.values(heads));
    if (parser.positionalArguments().isEmpty())
        window.sessions().offerRecovery(); // an autosave left behind means the last run crashed
    bool saving = false;
    const auto saveScreenshot = [&] {
        if (!std::exchange(saving, true)) // one screenshot
            screenshotAndQuit(window, parser.value(screenshot), parser.value(tab));
    };
    if (parser.isSet(run) && parser.isSet(screenshot)) { // once the run is shown, or after a minute whatever happened
        QObject::connect(&window, &attn::app::MainWindow::runStopped, &window, saveScreenshot);
        QTimer::singleShot(60000, &window, saveScreenshot);
    } else if (parser.isSet(screenshot)) {
        saveScreenshot();
    }
    return QApplication::exec();
}
