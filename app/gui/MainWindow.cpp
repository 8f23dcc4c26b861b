#include "gui/MainWindow.h"

#include "gui/AppearanceMenu.h"
#include "gui/DocumentSummary.h"
#include "gui/EnrichmentView.h"
#include "gui/ExplorerPage.h"
#include "gui/ExportCommands.h"
#include "gui/JobIndicator.h"
#include "gui/Session.h"
#include "gui/StartPageFactory.h"
#include "heads/HeadGridView.h"
#include "kinds/KindRegistry.h"
#include "map/AttentionMapView.h"
#include "model/ModelFamily.h"
#include "start/StartPage.h"
#include "faithfulness/FaithfulnessView.h"
#include "importance/HeadImportanceView.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>

namespace attn::app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setAcceptDrops(true);
    startPage_ = startPageForKinds();
    summary_ = new QTextBrowser;
    summary_->setObjectName("summaryPage");
    explorerPage_ = new ExplorerPage(&idle_);
    enrichment_ = new EnrichmentView([this] { return document_.model(); });
    explorerPage_->addViewTab(enrichment_, tr("Enrichment"));
    pages_ = new QStackedWidget;
    for (QWidget* page : {static_cast<QWidget*>(startPage_), static_cast<QWidget*>(summary_), static_cast<QWidget*>(explorerPage_)})
        pages_->addWidget(page);
    setCentralWidget(pages_);
    connect(startPage_, &widgets::StartPage::openFileRequested, this, [this] { choose(false); });
    connect(startPage_, &widgets::StartPage::openFolderRequested, this, [this] { choose(true); });
    connect(startPage_, &widgets::StartPage::demoRequested, this,
            [this](int i) { openDemo(kinds::kindRegistry()[static_cast<std::size_t>(i)]->demo()); });
    connect(explorerPage_, &ExplorerPage::runRequested, this, &MainWindow::runShown);
    connect(explorerPage_, &ExplorerPage::cancelRequested, this, [this] { if (shown_) shown_->runJob().cancel(); });
    buildDocks();
    for (const kinds::Kind* kind : kinds::kindRegistry())
        addWorkspace(*kind);
    jobs_ = addJobIndicator(statusBar(), workspaces_);
    sessions_ = new SessionController(*this);
    buildMenus();
    connect(&document_, &Document::modelChanged, this, &MainWindow::refreshViews);
    resize(1280, 800);
    restoreGeometry(QSettings().value("window/geometry").toByteArray());
    restoreState(QSettings().value("window/state").toByteArray());
    showWorkspace(nullptr);
    statusBar()->showMessage(tr("No data loaded"));
}

void MainWindow::addWorkspace(const kinds::Kind& kind)
{
    auto workspace = kind.createWorkspace(*this);
    kinds::Workspace* w = workspace.get();
    std::vector<QDockWidget*> docks;
    for (const kinds::TitledWidget& d : w->docks())
        docks.push_back(addDock(d.title, d.objectName, d.widget, Qt::BottomDockWidgetArea));
    connect(w, &kinds::Workspace::opened, this, [this, w] {
        const bool asked = runOnOpen_ == w; // a demo's or a session's data: it runs now
        if (asked) {
            runOnOpen_ = nullptr;
            awaitingOpen_ = false;
        }
        showWorkspace(w);
        runIfReady(w, asked);
    });
    connect(w, &kinds::Workspace::openFailed, this, [this, w] {
        if (runOnOpen_ == w)
            cancelExpectedOpen();
    });
    connect(w, &kinds::Workspace::message, this, [this, w](const QString& text) { if (w == shown_) explorerPage_->setMessage(text); });
    followRuns(w);
    workspaces_.push_back(std::move(workspace));
    workspaceDocks_.push_back(std::move(docks));
}

void MainWindow::followRuns(kinds::Workspace* w)
{
    widgets::BackgroundJob& job = w->runJob(); // the page shows the shown input's run only
    connect(&job, &widgets::BackgroundJob::started, this, [this, w] { if (w == shown_) refreshHeader(); });
    connect(&job, &widgets::BackgroundJob::progress, this, [this, w](int done, int total, const QString& what) {
        if (w == shown_)
            explorerPage_->setProgress(done, total, what);
    });
    connect(&job, &widgets::BackgroundJob::stopped, this, [this, w] { if (w == shown_) refreshHeader(); });
    connect(&job, &widgets::BackgroundJob::failed, this, [this](const QString& message) { showError(tr("Run failed"), message); });
    connect(&job, &widgets::BackgroundJob::cancelled, this, [this] { showStatus(tr("Run cancelled; the previous result is still shown")); });
    connect(&job, &widgets::BackgroundJob::stopped, this, &MainWindow::runStopped);
}

kinds::Workspace* MainWindow::workspace(const kinds::Kind& kind) const
{
    for (const auto& w : workspaces_)
        if (&w->kind() == &kind)
            return w.get();
    return nullptr;
}

kinds::Workspace* MainWindow::workspace(const QString& kindName) const
{
    for (const auto& w : workspaces_)
        if (QString::fromStdString(w->kind().name()) == kindName)
            return w.get();
    return nullptr;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] { choose(false); })->setObjectName("actionOpen");
    file->addAction(tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] { choose(true); })
        ->setObjectName("actionOpenFolder");
    QMenu* demos = file->addMenu(tr("Open De&mo"));
    demos->setObjectName("menuDemos");
    for (const kinds::Kind* kind : kinds::kindRegistry())
        for (const kinds::Demo& demo : kind->demos())
            demos->addAction(QString::fromStdString(demo.title), this, [this, demo] { openDemo(demo); });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    refreshRecentMenu();
    sessions_->addMenuItems(file);
    file->addSeparator();
    buildExportMenu(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
    addAppearanceMenu(viewMenu_, explorers());
    menuBar()->addMenu(tr("&Help"))->addAction(tr("&About attnscope"), this, [this] {
        QMessageBox::about(this, tr("About attnscope"), tr("<b>attnscope %1</b><p>Explore multi-head attention in Transformer "
                                                           "models on scientific and clinical data.</p>").arg(QApplication::applicationVersion()));
    });
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* content, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks()
{
    for (QTextBrowser** b : {&modelInfo_, &dataInfo_})
        (*b = new QTextBrowser)->setMinimumWidth(230); // tables of keys and values stay readable
    modelInfo_->setPlaceholderText(tr("No model open. File > Open Folder…"));
    dataInfo_->setPlaceholderText(tr("No data open. File > Open…"));
    QDockWidget* modelDock = addDock(tr("Model"), "dockModel", modelInfo_, Qt::RightDockWidgetArea);
    QDockWidget* dataDock = addDock(tr("Data"), "dockData", dataInfo_, Qt::RightDockWidgetArea);
    headGrid_ = new widgets::HeadGridView(&idle_);
    QDockWidget* heads = addDock(tr("Heads"), "dockHeads", headGrid_, Qt::RightDockWidgetArea);
    headStats_ = new widgets::HeadStatsView(&idle_);
    QDockWidget* stats = addDock(tr("Head statistics"), "dockHeadStats", headStats_, Qt::RightDockWidgetArea);
    importance_ = new widgets::HeadImportanceView(&idle_);
    QDockWidget* importance = addDock(tr("Head importance"), "dockHeadImportance", importance_, Qt::RightDockWidgetArea);
    // the first layout (a saved one replaces it): one column on the right, the heads above and
    // their statistics, the model and the data as tabs below, so that on a laptop's 1280 px
    // the centre keeps about two thirds of the width
    splitDockWidget(heads, stats, Qt::Vertical);
    tabifyDockWidget(stats, importance); // beside the statistics it is compared with
    tabifyDockWidget(importance, modelDock);
    tabifyDockWidget(modelDock, dataDock);
    stats->raise();
    resizeDocks({stats}, {360}, Qt::Horizontal);
    resizeDocks({heads, stats}, {260, 440}, Qt::Vertical);
}

bool MainWindow::openPath(const QString& path)
{
    bool ok = false;
    try {
        kinds::requireContent(path.toStdString());
    } catch (const std::exception& e) {
        showError(tr("Cannot open"), QString::fromStdString(e.what()));
        return false;
    }
    if (isModelPath(path.toStdString())) {
        ok = openModel(path);
    } else if (const kinds::Kind* kind = kinds::kindAccepting(path.toStdString())) {
        ok = workspace(*kind)->open(path);
    } else {
        showError(tr("Cannot open"), tr("%1: not something attnscope can open (it opens: %2)")
                                         .arg(path, QString::fromStdString(kinds::openableDescription())));
        return false;
    }
    if (ok) {
        recent_.add(path);
        refreshRecentMenu();
    }
    return ok;
}

bool MainWindow::openModel(const QString& path)
{
    try {
        document_.openModel(path);
    } catch (const std::exception& e) {
        showError(tr("Cannot open model"), QString::fromStdString(e.what()));
        return false;
    }
    showStatus(tr("Opened %1").arg(path));
    for (const auto& w : workspaces_)
        w->modelOpened();
    if (!shown_ || !shown_->kind().runs(*document_.model())) // show the data this model runs, if any is open
        for (const auto& w : workspaces_)
            if (w->canRun()) {
                showWorkspace(w.get()); // the first that runs, in the registry's order
                break;
            }
    if (shown_ && shown_ != runOnOpen_) // data about to be replaced does not run
        runIfReady(shown_);
    return true;
}

void MainWindow::runIfReady(kinds::Workspace* workspace, bool asked)
{
    if (!workspace->canRun())
        return;
    const bool once = std::exchange(runWhenReady_, false);
    if (asked || once || (workspace->runsWhenReady() && !workspace->openingCompanion()))
        workspace->run();
}

void MainWindow::expectOpen(kinds::Workspace* workspace, const QString& note)
{
    runOnOpen_ = workspace;
    if (note.isEmpty())
        return;
    beforeOpen_ = awaitingOpen_ ? beforeOpen_ : shown_;
    awaitingOpen_ = true;
    showPendingNote(note);
}

void MainWindow::cancelExpectedOpen()
{
    runOnOpen_ = nullptr;
    if (std::exchange(awaitingOpen_, false))
        showWorkspace(beforeOpen_);
}

void MainWindow::setReopening(kinds::Workspace* workspace, const QString& note)
{
    reopening_ = workspace;
    reopeningNote_ = note;
    refreshHeader();
}

void MainWindow::setAppearance(const QString& colormap, ColourScale scale)
{
    for (widgets::ExplorerState* state : explorers()) {
        state->setColormap(colormap);
        state->setScale(scale);
    }
}

std::vector<widgets::ExplorerState*> MainWindow::explorers()
{
    std::vector<widgets::ExplorerState*> states{&idle_};
    for (const auto& w : workspaces_)
        states.push_back(&w->explorer());
    return states;
}

void MainWindow::runShown()
{
    if (!shown_ || !shown_->canRun()) {
        const QString family = document_.model() ? QString::fromStdString(document_.model()->family()) : tr("no");
        showError(tr("Cannot run"), tr("Open a model that runs this data first (the open model: %1).").arg(family));
        return;
    }
    shown_->run();
}

void MainWindow::showWorkspace(kinds::Workspace* workspace)
{
    shown_ = workspace;
    for (std::size_t i = 0; i < workspaces_.size(); ++i)
        for (QDockWidget* dock : workspaceDocks_[i])
            dock->setVisible(workspaces_[i].get() == workspace);
    if (workspace) {
        std::vector<std::pair<QString, QWidget*>> tabs;
        for (const kinds::TitledWidget& t : workspace->tabs())
            tabs.emplace_back(t.title, t.widget);
        explorerPage_->showKind(workspace->controls(), tabs);
        explorerPage_->setMessage(workspace->lastMessage());
    }
    widgets::ExplorerState& state = explorer(); // the shared views follow the shown input alone
    explorerPage_->setState(&state);
    headGrid_->setState(&state);
    headStats_->setState(&state);
    importance_->setState(&state);
    enrichment_->setWorkspace(shown_);
    refreshViews();
}

void MainWindow::showPendingNote(const QString& note)
{
    showWorkspace(nullptr); // no previous input's views, not even for a moment
    summary_->setHtml("<h2>" + note.toHtmlEscaped() + "</h2>");
    pages_->setCurrentWidget(summary_);
}

QString MainWindow::idleHint(kinds::Workspace& w) const
{
    if (&w == reopening_)
        return reopeningNote_;
    if (w.runJob().isRunning())
        return tr("running…");
    if (w.canRun())
        return tr("not run yet. Run to see attention.");
    if (!document_.model())
        return tr("open a model that runs it (File > Open Folder…) to see attention.");
    return tr("the open model (%1) does not run this data; open one that does.").arg(QString::fromStdString(document_.model()->family()));
}

void MainWindow::refreshViews()
{
    const auto model = document_.model();
    modelInfo_->setHtml(model ? modelSummaryHtml(*model, document_.modelPath()) : QString());
    dataInfo_->setHtml(shown_ ? shown_->dataSummaryHtml() : QString());
    refreshHeader();
    const bool data = shown_ && shown_->hasData();
    if (awaitingOpen_ && !shown_)
        return; // the pending note stays
    summary_->setHtml(documentSummaryHtml(model.get(), document_.modelPath(), shown_ ? shown_->dataPath() : QString()));
    if (data)
        pages_->setCurrentWidget(explorerPage_);
    else
        pages_->setCurrentWidget(model ? static_cast<QWidget*>(summary_) : startPage_);
}

void MainWindow::refreshHeader()
{
    const bool data = shown_ && shown_->hasData();
    explorerPage_->setRunning(data && shown_->runJob().isRunning());
    explorerPage_->setInput(data ? QFileInfo(shown_->dataPath()).fileName() : QString(), data ? idleHint(*shown_) : QString());
}

void MainWindow::choose(bool folder)
{
    const QString key = folder ? "folders/folder" : "folders/data", start = QSettings().value(key).toString();
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Open a model or data folder"), start)
                                : QFileDialog::getOpenFileName(this, tr("Open"), start);
    if (!path.isEmpty() && openPath(path))
        QSettings().setValue(key, QFileInfo(path).absolutePath());
}

void MainWindow::refreshRecentMenu()
{
    recentMenu_->clear();
    for (const QString& path : recent_.paths())
        recentMenu_->addAction(path, this, [this, path] { openPath(path); });
    recentMenu_->setEnabled(!recent_.paths().isEmpty());
}

void MainWindow::buildExportMenu(QMenu* file)
{
    exports_ = new ExportCommands(file->addMenu(tr("&Export")), this, *this, [this] { // the shared views, then the shown kind's figures
        const bool run = explorer().hasRun();
        std::vector<ExportMenuEntry> entries{{tr("Attention &map…"), "attention-map", explorerPage_->mapView(), run},
                                             {tr("&Tokens…"), "tokens", explorerPage_->tokenView(), run},
                                             {tr("&Faithfulness…"), "faithfulness", explorerPage_->faithfulnessView(),
                                              explorerPage_->faithfulnessView()->shown() != nullptr},
                                             {tr("&Head grid…"), "head-grid", headGrid_, run},
                                             {tr("Head s&tatistics…"), "head-statistics", headStats_, run},
                                             {tr("Head &importance…"), "head-importance", importance_, importance_->shown() != nullptr},
                                             {tr("&Enrichment…"), "enrichment", enrichment_, !enrichment_->heads().empty()},
                                             {{}, {}, nullptr, false}};
        for (const kinds::ExportEntry& e : shown_ ? shown_->exportEntries() : std::vector<kinds::ExportEntry>{})
            entries.push_back({e.title, e.fileName, e.source, shown_->hasData()});
        return entries;
    });
    jobs_->follow(exports_->job(), tr("Exporting"));
    jobs_->follow(importance_->job(), tr("Head importance"));
    jobs_->follow(enrichment_->job(), tr("Enrichment"));
}

void MainWindow::showError(const QString& title, const QString& message)
{
    lastError_ = message;
    statusBar()->showMessage(message.section(" (", 0, 0), 10000); // its head fits; the dialog has it whole
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this); // window-modal, non-blocking
    box->setObjectName("errorDialog");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings().setValue("window/geometry", saveGeometry());
    QSettings().setValue("window/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            openPath(url.toLocalFile());
}

bool MainWindow::openDemo(const kinds::Demo& demo)
{
    if (demo.model.empty() || demo.data.empty()) {
        showError(tr("Demo not found"), tr("The bundled demo files are missing (set ATTNSCOPE_RESOURCES to the resources folder)."));
        return false;
    }
    const kinds::Kind* kind = kinds::kindAccepting(demo.data);
    kinds::Workspace* target = kind ? workspace(*kind) : nullptr;
    expectOpen(target); // every demo opens already run
    const bool ok = openPath(QString::fromStdString(demo.model)) && openPath(QString::fromStdString(demo.data))
        && (demo.companion.empty() || openPath(QString::fromStdString(demo.companion)));
    if (!ok)
        cancelExpectedOpen();
    return ok;
}

} // namespace attn::app
