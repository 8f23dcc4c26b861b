/// attnscope: the desktop application.

#include "gui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

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
    parser.addPositionalArgument("paths", "Model folders or data files to open", "[paths...]");
    const QCommandLineOption screenshot("screenshot", "Save a PNG of the window once shown, then quit", "file.png");
    parser.addOption(screenshot);
    parser.process(app);
    attn::app::MainWindow window;
    window.show();
    for (const QString& path : parser.positionalArguments())
        window.openPath(path);
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(800, &window, [&] {
            const bool saved = window.grab().save(parser.value(screenshot));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
