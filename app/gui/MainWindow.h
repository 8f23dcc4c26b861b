#pragma once
/// @file MainWindow.h
/// The main window: menus, the shared attention docks, the start page, and one workspace per
/// kind of data from the registry. It routes what is opened by content and names no kind.

#include "common/ExplorerState.h"
#include "gui/Document.h"
#include "gui/RecentFiles.h"
#include "kinds/Kind.h"
#include "kinds/Workspace.h"

#include <QMainWindow>
#include <QStatusBar>

#include <memory>
#include <vector>

class QDockWidget;
class QMenu;
class QStackedWidget;
class QTextBrowser;

namespace attn::widgets {
class HeadGridView;
class HeadImportanceView;
class HeadStatsView;
class StartPage;
}

namespace attn::app {

class EnrichmentView;
class ExplorerPage;
class JobIndicator;
class ExportCommands;
class SessionController;

/// Top-level window of attnscope.
class MainWindow : public QMainWindow, private kinds::WorkspaceHost {
    Q_OBJECT
public:
    /// Builds menus and docks, one workspace per kind, and restores the saved layout.
    explicit MainWindow(QWidget* parent = nullptr);

    /// Opens a model folder or a kind's file or folder (chosen by content), reporting errors in
    /// a dialog with what was open unchanged; returns false when it failed at once.
    bool openPath(const QString& path);
    /// Opens a bundled demo's model and data (an error when they are missing).
    bool openDemo(const kinds::Demo& demo);
    /// Runs the open model on the shown workspace's data.
    void runShown();
    /// Runs once as soon as a model and data it runs are open (`attnscope --run`).
    void setRunWhenReady(bool on) { runWhenReady_ = on; }
    /// The next data `workspace` opens runs at once (a demo, a session), whatever its kind's
    /// habit. With a note ("Reopening s.attnscope…"), the window shows that note, and no
    /// previous input's views, until the data opens; if it fails, what was shown comes back.
    void expectOpen(kinds::Workspace* workspace, const QString& note = {});
    /// The expected open will not come (it failed at once): shows again what was shown.
    void cancelExpectedOpen();
    /// While a session is being restored on `workspace`, its header says `note` until the run
    /// lands (null: restoring ended).
    void setReopening(kinds::Workspace* workspace, const QString& note = {});
    /// Sets the colormap and scale of every input's views (View menu, sessions).
    void setAppearance(const QString& colormap, ColourScale scale);

    /// The open model.
    Document& document() { return document_; }
    /// The last error message shown (empty if none), for tests.
    const QString& lastError() const { return lastError_; }
    /// The state the shared attention views follow: the shown workspace's (empty when none).
    widgets::ExplorerState& explorer() { return shown_ ? shown_->explorer() : idle_; }
    /// The centre page once data is open.
    ExplorerPage* explorerPage() const { return explorerPage_; }
    /// The workspace of the kind with that name ("DNA", "CT"), or null.
    kinds::Workspace* workspace(const QString& kindName) const;
    /// The workspace of a kind of the registry.
    kinds::Workspace* workspace(const kinds::Kind& kind) const;
    /// The workspace shown, or null.
    kinds::Workspace* shownWorkspace() const { return shown_; }
    /// Sessions: save, open, autosave, crash recovery.
    SessionController& sessions() { return *sessions_; }
    /// The status bar's progress and Cancel for opening data, overlays, references and exports.
    JobIndicator* jobIndicator() const { return jobs_; }
    /// File > Export and the job writing its files.
    ExportCommands& exports() { return *exports_; }
    /// Shows an error (window-modal, non-blocking; what is open stays).
    void showError(const QString& title, const QString& message) override;

signals:
    /// A run of any workspace stopped (finished, failed or cancelled).
    void runStopped();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    std::shared_ptr<const Model> model() const override { return document_.model(); }
    void showStatus(const QString& message) override { statusBar()->showMessage(message, 5000); }

    void buildMenus();
    void buildDocks();
    void buildExportMenu(QMenu* file);
    void addWorkspace(const kinds::Kind& kind);
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* content, Qt::DockWidgetArea area);
    void showWorkspace(kinds::Workspace* workspace);
    bool openModel(const QString& path);
    void choose(bool folder);
    void refreshRecentMenu();
    void refreshViews();
    void refreshHeader();
    void runIfReady(kinds::Workspace* workspace, bool asked = false);
    void followRuns(kinds::Workspace* workspace);
    void showPendingNote(const QString& note);
    QString idleHint(kinds::Workspace& workspace) const;
    std::vector<widgets::ExplorerState*> explorers();

    Document document_;
    widgets::ExplorerState idle_; ///< What the shared views follow while no workspace is shown.
    std::vector<std::unique_ptr<kinds::Workspace>> workspaces_;
    std::vector<std::vector<QDockWidget*>> workspaceDocks_;
    kinds::Workspace* shown_ = nullptr;
    ExplorerPage* explorerPage_ = nullptr;
    widgets::HeadGridView* headGrid_ = nullptr;
    widgets::HeadStatsView* headStats_ = nullptr;
    widgets::HeadImportanceView* importance_ = nullptr;
    EnrichmentView* enrichment_ = nullptr;
    RecentFiles recent_;
    QStackedWidget* pages_ = nullptr;
    widgets::StartPage* startPage_ = nullptr;
    QTextBrowser* summary_ = nullptr;
    QTextBrowser* modelInfo_ = nullptr;
    QTextBrowser* dataInfo_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    JobIndicator* jobs_ = nullptr;
    ExportCommands* exports_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QString lastError_;
    bool runWhenReady_ = false;
    kinds::Workspace* runOnOpen_ = nullptr;  ///< Its next open runs (expectOpen).
    kinds::Workspace* beforeOpen_ = nullptr; ///< Shown before a noted expectOpen.
    bool awaitingOpen_ = false;              ///< A noted expectOpen is pending.
    kinds::Workspace* reopening_ = nullptr;  ///< A session is being restored on it.
    QString reopeningNote_;
    SessionController* sessions_ = nullptr;
};

} // namespace attn::app
