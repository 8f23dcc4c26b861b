#pragma once
/// @file RecentFiles.h
/// The most recently opened files and folders, kept in QSettings.

#include <QStringList>

namespace attn::app {

/// A most-recent-first list of paths persisted under a settings key.
class RecentFiles {
public:
    /// Maximum number of entries kept.
    static constexpr int kMax = 10;
    /// Reads the list kept under `key` from settings.
    explicit RecentFiles(QString key = "recentFiles");
    /// Moves or adds a path to the front and saves the list.
    void add(const QString& path);
    /// The paths, most recent first.
    const QStringList& paths() const { return paths_; }

private:
    QString key_;
    QStringList paths_;
};

} // namespace attn::app
