#pragma once
/// @file Session.h
/// Sessions: a small, versioned JSON file (.attnscope) with the open model and data, the kind's
/// own state (record and window, or series, grey window, cursor, 3D preset and overlay), the
/// selected layer, head and token, the heads changed (as --intervene writes them; the reopened run
/// has them), the map's source (computed again) and the display settings. Opening one reruns the model and
/// restores exactly that view; a malformed one, one from a newer version, or one naming files that
/// have moved gets a clear message and what is open stays. The window autosaves every minute and
/// after each run; the autosave is removed on a normal shutdown, so one found at start-up means a
/// crash, and restoring it is offered.

#include "gui/RecentFiles.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

class QMenu;

namespace attn::kinds {
class Workspace;
}

namespace attn::app {

class MainWindow;

/// The session version this build writes and the newest it reads.
constexpr int kSessionVersion = 1;

/// Reads and checks a session file; FormatError (or IoError) naming the file and the problem.
QJsonObject readSessionFile(const QString& path);

/// Saving, opening, autosave and crash recovery of one window's sessions.
class SessionController : public QObject {
    Q_OBJECT
public:
    explicit SessionController(MainWindow& window);
    ~SessionController() override;

    /// What the window shows now, as a session.
    QJsonObject capture() const;
    /// Writes the session to a file; false (after an error message) when it cannot.
    bool save(const QString& path);
    /// Opens a session file: checks it, reopens its model and data, reruns, restores the view.
    /// False (after an error message, with nothing changed) when it cannot.
    bool open(const QString& path);
    /// Adds Save Session…, Open Session… and Open Recent Session to the File menu.
    void addMenuItems(QMenu* file);
    /// Offers to restore an autosave left by a crash (a non-blocking question).
    void offerRecovery();
    /// The autosave file.
    static QString autosavePath();
    /// Writes the autosave now (when anything is open).
    void autosave();

signals:
    /// A session was restored: its run finished and the view was applied.
    void restored();

private:
    void applyAfterRun();
    void refreshRecentMenu();

    MainWindow& window_;
    RecentFiles recent_{"recentSessions"};
    QMenu* recentMenu_ = nullptr;
    QTimer timer_;
    QJsonObject pending_;                          ///< The session being restored.
    kinds::Workspace* pendingWorkspace_ = nullptr; ///< Its kind's workspace.
    bool reopened_ = false;                        ///< Its data has been opened again.
};

} // namespace attn::app
