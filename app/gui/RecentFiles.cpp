#include "gui/RecentFiles.h"

#include <QSettings>

namespace attn::app {

RecentFiles::RecentFiles(QString key)
    : key_(std::move(key)), paths_(QSettings().value(key_).toStringList())
{
}

void RecentFiles::add(const QString& path)
{
    paths_.removeAll(path);
    paths_.prepend(path);
    while (paths_.size() > kMax)
        paths_.removeLast();
    QSettings().setValue(key_, paths_);
}

} // namespace attn::app
