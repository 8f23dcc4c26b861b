/// attnscope: the desktop application.

#include "gui/MainWindow.h"
#include "gui/Session.h"
#include "kinds/KindRegistry.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPainter>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include <utility>

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
    parser.process(app);
    attn::app::MainWindow window;
    if (const QStringList wh = parser.value(size).split('x'); wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
        window.resize(wh[0].toInt(), wh[1].toInt());
    window.show();
    QStringList paths = parser.positionalArguments();
    if (paths.isEmpty() && !parser.isSet(noDemo)) { // the first kind's demo, silently skipped when missing
        const attn::kinds::Demo demo = attn::kinds::kindRegistry().front()->demo();
        if (!demo.model.empty() && !demo.data.empty())
            paths = {QString::fromStdString(demo.model), QString::fromStdString(demo.data)};
    }
    window.setRunWhenReady(parser.isSet(run));
    for (const QString& path : paths)
        path.endsWith(".attnscope") ? window.sessions().open(path) : window.openPath(path);
    if (parser.positionalArguments().isEmpty())
        window.sessions().offerRecovery(); // an autosave left behind means the last run crashed
    bool saving = false;
    const auto saveScreenshot = [&] {
        if (std::exchange(saving, true))
            return; // one screenshot
        if (auto* tabs = window.findChild<QTabWidget*>("centreTabs"); tabs && parser.isSet(tab))
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->widget(i)->objectName() == parser.value(tab))
                    tabs->setCurrentIndex(i);
        QTimer::singleShot(1000, &window, [&] {
            QPixmap shot = window.grab();
            if (QWidget* dialog = QApplication::activeModalWidget()) { // a question open over the window shows in it
                QPainter painter(&shot);
                painter.drawPixmap(dialog->frameGeometry().topLeft() - window.frameGeometry().topLeft(), dialog->grab());
            }
            const bool saved = shot.save(parser.value(screenshot));
            QApplication::exit(saved ? 0 : 1);
        });
    };
    if (parser.isSet(run) && parser.isSet(screenshot)) { // once the run is shown, or after a minute whatever happened
        QObject::connect(&window, &attn::app::MainWindow::runStopped, &window, saveScreenshot);
        QTimer::singleShot(60000, &window, saveScreenshot);
    } else if (parser.isSet(screenshot)) {
        saveScreenshot();
    }
    return QApplication::exec();
}
