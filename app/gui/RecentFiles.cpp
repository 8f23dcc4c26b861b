#include "gui/RecentFiles.h"

#include <QSettings>

namespace attn::app {

RecentFiles::RecentFiles()
    : paths_(QSettings().value("recentFiles").toStringList())
{
}

void RecentFiles::add(const QString& path)
{
    paths_.removeAll(path);
    paths_.prepend(path);
    while (paths_.size() > kMax)
        paths_.removeLast();
    QSettings().setValue("recentFiles", paths_);
}

} // namespace attn::app
