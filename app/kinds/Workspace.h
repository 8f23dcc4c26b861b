#pragma once
/// @file Workspace.h
/// The window's side of a kind: its open data, its controls, tabs and docks, its background
/// run, and the figures it adds to File > Export. The window creates one workspace per kind
/// (Kind::createWorkspace) and talks to it only through this interface.

#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "common/BackgroundJob.h"
#include "kinds/InputChoice.h"
#include "model/Model.h"
#include "model/RunResult.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace attn::kinds {

using widgets::BackgroundJob;
class Kind;
struct KindRun;

/// What a workspace needs from the window.
class WorkspaceHost {
public:
    virtual ~WorkspaceHost() = default;
    /// The open model (any family), or null.
    virtual std::shared_ptr<const Model> model() const = 0;
    /// Shows an error (non-blocking; what is open stays).
    virtual void showError(const QString& title, const QString& message) = 0;
    /// Shows a passing message in the status bar.
    virtual void showStatus(const QString& message) = 0;
};

/// A widget the workspace shows, with its title.
struct TitledWidget {
    QString title;      ///< Tab or dock title.
    QString objectName; ///< Stable name (dock state, tests).
    QWidget* widget;    ///< Owned by the workspace until the window takes it into a tab or dock.
};

/// A figure File > Export offers.
struct ExportEntry {
    QString title;                         ///< Menu text.
    QString fileName;                      ///< Suggested file name.
    const widgets::FigureSource* source;   ///< What is drawn.
};

/// One kind's data in the window.
class Workspace : public QObject {
    Q_OBJECT
public:
    /// A workspace of `kind` in the window `host`.
    Workspace(const Kind& kind, WorkspaceHost& host);
    /// Deletes the widgets it made that the window never took (a kind never shown keeps its
    /// page and controls unparented).
    ~Workspace() override;

    /// Its kind.
    const Kind& kind() const { return kind_; }
    /// Its input's run and selection, which its views and (while it is shown) the window's
    /// shared attention views follow. New data clears it; a run finishing fills it.
    widgets::ExplorerState& explorer() { return explorer_; }
    /// The last message it gave for the line above the tabs.
    const QString& lastMessage() const { return lastMessage_; }
    /// Opens a file or folder its kind accepts. Returns false (after showing the error, with what
    /// was open unchanged) when it fails at once; a background open reports later. Emits
    /// opened() once the new data is in place.
    virtual bool open(const QString& path) = 0;
    /// True when data is open.
    virtual bool hasData() const = 0;
    /// The open file or folder.
    virtual QString dataPath() const = 0;
    /// HTML describing the open data (the Data dock).
    virtual QString dataSummaryHtml() const = 0;
    /// Controls shown above the centre tabs while this workspace is shown (may be null).
    virtual QWidget* controls() { return nullptr; }
    /// Its own centre tabs, shown before the shared attention tabs.
    virtual std::vector<TitledWidget> tabs() { return {}; }
    /// Its own docks.
    virtual std::vector<TitledWidget> docks() { return {}; }
    /// Figures it adds to File > Export.
    virtual std::vector<ExportEntry> exportEntries() const { return {}; }
    /// True if a run starts by itself once model and data are open (and on a new record).
    virtual bool runsWhenReady() const { return true; }
    /// True while opened() announces a companion of the open input (OpenedAs::Companion): nothing
    /// new to run.
    bool openingCompanion() const { return openingCompanion_; }
    /// True if the open model runs this kind's data and data is open.
    bool canRun() const;
    /// Starts a run of the open model on the open data (the previous run stays shown until it
    /// finishes; a failure or Cancel leaves it).
    virtual void run() = 0;
    /// The window opened another model (before a run is started for it): forgets the interventions
    /// (they were the other model's heads), then modelChanged().
    void modelOpened();
    /// The window opened another model: what the kind does about it (before a run is started).
    virtual void modelChanged() {}
    /// The heads its runs change (chosen in the views' head menus); kept when another input opens,
    /// forgotten when another model does.
    const Interventions& interventions() const { return interventions_; }
    /// Changes them and, when it can, runs again: the run shown stays until the changed one is ready.
    /// Edits that do not fit the model are refused with a message and change nothing.
    void setInterventions(Interventions interventions);
    /// A session's interventions, for the run its data's open will start: set without running.
    void restoreInterventions(Interventions interventions) { interventions_ = std::move(interventions); }
    /// The open input as the CLI names it (file, record, window, series, region, subject): what a
    /// computation that runs the model again on it from its files takes (enrichment); nullopt
    /// without data.
    virtual std::optional<InputChoice> inputChoice() const = 0;
    /// The run's background job (progress, Cancel).
    BackgroundJob& runJob() { return runJob_; }
    /// The job that reads an input being opened (openInBackground).
    BackgroundJob& openJob() { return openJob_; }
    /// Its other long operations (opening data, an overlay, ...), named for the status bar's
    /// progress and Cancel; none by default.
    virtual std::vector<std::pair<QString, BackgroundJob*>> backgroundJobs() { return {}; }

    /// Its part of a session: which record, series, window, and its display settings.
    virtual QJsonObject saveState() const { return {}; }
    /// A session's state to apply when the next open succeeds (before the run).
    void restoreOnOpen(QJsonObject state) { pendingState_ = std::move(state); }
    /// Applies a session's state that needs the run (e.g. the overlay's source), after it.
    virtual void restoreAfterRun(const QJsonObject&) {}

signals:
    /// New data was opened (the window shows this workspace).
    void opened();
    /// Opening data that finishes in the background failed (what was open stays).
    void openFailed();
    /// A run finished and is shown.
    void ran();
    /// A message for the line above the tabs ("" clears it).
    void message(const QString& text);

protected:
    /// The options a run of this workspace starts from: its interventions (the job sets progress).
    RunOptions runOptions() const;
    /// Applies a session's state to newly opened data (before the run).
    virtual void applyState(const QJsonObject&) {}
    /// Registers a widget this workspace makes for the window (controls, tabs, docks): the
    /// window parents it once shown, else the workspace deletes it. Returns it.
    template <class W>
    W* adopt(W* widget)
    {
        made_.emplace_back(widget);
        return widget;
    }
    /// Call when an open succeeded: forgets the previous input's run and selection, applies a
    /// pending session state, then emits opened().
    void finishOpen();
    /// Call when an open that finishes in the background failed: shows the error, drops a
    /// pending session state, and emits openFailed().
    void failOpen(const QString& title, const QString& message);
    /// What the step that shows a background read added.
    enum class OpenedAs {
        Input,     ///< A new input: then finishOpen() (the previous input's run and selection go).
        Companion, ///< Something beside the open input (a structure beside its alignment): its run
                   ///< stays, opened() is announced and openingCompanion() is true meanwhile.
    };
    /// What a background read gives: the step that shows it, run on the GUI thread.
    using ApplyOpened = std::function<OpenedAs()>;
    /// The one way a workspace opens a file: `read` runs on openJob_ (a worker: it reads and
    /// examines the file once, touches no widget and may throw); on success the step it returns
    /// runs on the GUI thread, then, for a new input, finishOpen(); an error calls
    /// failOpen(errorTitle, its message) and what was open stays. A newer open waits for one still
    /// reading (which is shown first).
    void openInBackground(const QString& errorTitle, std::function<ApplyOpened()> read);

    const Kind& kind_;
    WorkspaceHost& host_;
    widgets::ExplorerState explorer_;
    BackgroundJob runJob_;
    BackgroundJob openJob_;
    QJsonObject pendingState_;

private:
    /// A head's edit from a view's menu: replaces the head's edit of the same kind (weights or output).
    void editHead(const HeadEdit& edit);
    /// Restores one head (or every head for layer < 0).
    void restoreHeads(int layer, int head);

    Interventions interventions_;
    std::vector<QPointer<QWidget>> made_;
    QString lastMessage_;
    std::shared_ptr<ApplyOpened> opening_;
    bool openingCompanion_ = false;
    QString openErrorTitle_;
};

} // namespace attn::kinds
