/// attnscope: the desktop application.

#include "gui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

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
    parser.process(app);
    attn::app::MainWindow window;
    window.show();
    for (const QString& path : parser.positionalArguments())
        window.openPath(path);
    return QApplication::exec();
}
