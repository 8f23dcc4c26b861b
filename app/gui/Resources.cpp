#include "gui/Resources.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace attn::app {

QString resourcePath(const QString& relative)
{
    QStringList roots;
    if (const QString env = qEnvironmentVariable("ATTNSCOPE_RESOURCES"); !env.isEmpty())
        roots << env;
    roots << QCoreApplication::applicationDirPath() + "/../share/attnscope" << QStringLiteral(ATTNSCOPE_SOURCE_RESOURCES);
    for (const QString& root : roots) {
        const QFileInfo candidate(QDir(root).filePath(relative));
        if (candidate.exists())
            return candidate.absoluteFilePath();
    }
    return {};
}

Demo splicingDemo()
{
    return {resourcePath("models/splice"), resourcePath("models/splice/examples.fa")};
}

Demo ctDemo()
{
    return {resourcePath("models/ct_lesion"), resourcePath("data/ct_demo")};
}

} // namespace attn::app
