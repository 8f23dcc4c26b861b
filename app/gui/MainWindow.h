#pragma once
/// @file MainWindow.h
/// The main window: menus, docks, the start page, and opening files.

#include "common/ExplorerState.h"
#include "gui/DicomOpener.h"
#include "gui/Document.h"
#include "gui/RecentFiles.h"
#include "gui/Resources.h"
#include "gui/RunController.h"
#include "slices/VolumeState.h"

#include <QMainWindow>

class QDockWidget;
class QMenu;
class QStackedWidget;
class QTextBrowser;

namespace attn::widgets {
class FigureSource;
class HeadGridView;
class HeadStatsView;
class SequenceTrackView;
class StartPage;
}

namespace attn::app {

/// Top-level window of attnscope.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Builds menus and docks and restores the saved layout.
    explicit MainWindow(QWidget* parent = nullptr);
    /// Opens a model directory or a data file, reporting errors in a dialog; returns success.
    bool openPath(const QString& path);
    /// The document being shown.
    Document& document() { return document_; }
    /// The last error message shown (empty if none), for tests.
    const QString& lastError() const { return lastError_; }
    /// The state shared by the attention views.
    widgets::ExplorerState& explorer() { return explorer_; }
    /// The background runner.
    RunController& runner() { return runner_; }
    /// The centre page shown once model and data are open.
    class ExplorerPage* explorerPage() const { return explorerPage_; }
    /// Runs the current record (and window) in the background.
    void runCurrent();
    /// Opens a bundled demo's model and data (an error when they are missing).
    bool openDemo(const Demo& demo);
    /// Opens a DICOM folder in the background (the chosen series replaces the shown one when loaded).
    void openDicomFolder(const QString& folder);
    /// The DICOM loader (tests choose series and wait through it).
    DicomOpener& dicom() { return dicom_; }
    /// The slice views' shared state.
    widgets::VolumeState& volumeState() { return volumeState_; }
    /// Runs the open CT model on the open study in the background.
    void runCtModel();
    /// The CT model's job (tests wait on it).
    BackgroundJob& ctJob() { return ctJob_; }
    /// The page of the CT study.
    class VolumePage* volumePage() const { return volumePage_; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* content, Qt::DockWidgetArea area);
    void chooseData();
    void chooseModel();
    void rememberFolder(const QString& key, const QString& path);
    void refreshRecentMenu();
    void refreshViews();
    void showError(const QString& title, const QString& message);
    void buildExportMenu(QMenu* file);
    void buildAppearanceMenu();
    void onRunFinished(const widgets::RunData& run);
    void onStudyLoaded(const LoadedStudy& study);
    void onCtRunFinished();
    void updateOverlay();
    void chooseDicomFolder();
    void buildDicomProgress();
    int maxBases() const;

    Document document_;
    widgets::ExplorerState explorer_;
    RunController runner_;
    DicomOpener dicom_;
    BackgroundJob ctJob_;
    struct CtRun {
        RunResult result;
        VolumeGeometry inputGeometry;
        std::shared_ptr<const Volume> study;
    };
    std::shared_ptr<CtRun> ctRun_;     // the last finished run
    std::shared_ptr<CtRun> ctPending_; // the run in progress
    widgets::VolumeState volumeState_;
    class VolumePage* volumePage_ = nullptr;
    class ExplorerPage* explorerPage_ = nullptr;
    widgets::HeadGridView* headGrid_ = nullptr;
    widgets::HeadStatsView* headStats_ = nullptr;
    widgets::SequenceTrackView* track_ = nullptr;
    RecentFiles recent_;
    QStackedWidget* pages_ = nullptr;
    widgets::StartPage* startPage_ = nullptr;
    QTextBrowser* summary_ = nullptr;
    QTextBrowser* modelInfo_ = nullptr;
    QTextBrowser* dataInfo_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QString lastError_;
};

} // namespace attn::app
