#include "kinds/Resources.h"

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

} // namespace attn::app
