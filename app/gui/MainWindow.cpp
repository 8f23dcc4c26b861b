#include "gui/MainWindow.h"

#include "gui/DocumentSummary.h"
#include "gui/ExplorerPage.h"
#include "gui/ExportCommands.h"
#include "gui/VolumePage.h"
#include "render3d/VolumeRenderView.h"
#include "heads/HeadGridView.h"
#include "map/AttentionMapView.h"
#include "start/StartPage.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"
#include "track/SequenceTrackView.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>

#include <stdexcept>

namespace attn::app {
MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("attnscope"));
    setAcceptDrops(true);
    pages_ = new QStackedWidget;
    startPage_ = new widgets::StartPage;
    summary_ = new QTextBrowser;
    summary_->setObjectName("summaryPage");
    explorerPage_ = new ExplorerPage(&explorer_);
    pages_->addWidget(startPage_);
    pages_->addWidget(summary_);
    pages_->addWidget(explorerPage_);
    volumePage_ = new VolumePage(&volumeState_);
    pages_->addWidget(volumePage_);
    setCentralWidget(pages_);
    connect(startPage_, &widgets::StartPage::openDataRequested, this, &MainWindow::chooseData);
    connect(startPage_, &widgets::StartPage::openModelRequested, this, &MainWindow::chooseModel);
    connect(startPage_, &widgets::StartPage::openDicomRequested, this, &MainWindow::chooseDicomFolder);
    connect(startPage_, &widgets::StartPage::openCtDemoRequested, this, [this] { openDemo(ctDemo()); });
    buildDocks();
    buildMenus();
    connect(&document_, &Document::modelChanged, this, &MainWindow::refreshViews);
    connect(&document_, &Document::dataChanged, this, &MainWindow::refreshViews);
    connect(explorerPage_, &ExplorerPage::runRequested, this, &MainWindow::runCurrent);
    connect(explorerPage_, &ExplorerPage::cancelRequested, &runner_, &RunController::cancel);
    connect(&runner_, &RunController::progress, explorerPage_, &ExplorerPage::setProgress);
    connect(&runner_, &RunController::finished, this, &MainWindow::onRunFinished);
    connect(&runner_, &RunController::failed, this, [this](const QString& message) {
        showError(tr("Run failed"), message);
    });
    connect(&runner_, &RunController::cancelled, this, [this] {
        statusBar()->showMessage(tr("Run cancelled; the previous result is still shown"), 5000);
    });
    connect(&runner_, &RunController::stopped, this, [this] { explorerPage_->setRunning(false); });
    connect(&dicom_, &DicomOpener::loaded, this, &MainWindow::onStudyLoaded);
    connect(&dicom_, &DicomOpener::failed, this, [this](const QString& message) {
        showError(tr("Cannot open DICOM folder"), message);
    });
    buildDicomProgress();
    connect(&document_, &Document::ctModelChanged, this, &MainWindow::refreshViews);
    connect(pages_, &QStackedWidget::currentChanged, this, [this] { // the sequence docks mean nothing beside a CT study
        const bool study = pages_->currentWidget() == volumePage_;
        for (const char* name : {"dockData", "dockHeads", "dockHeadStats", "dockTrack"})
            if (auto* dock = findChild<QDockWidget*>(name))
                dock->setVisible(!study);
    });
    connect(volumePage_, &VolumePage::runRequested, this, &MainWindow::runCtModel);
    connect(volumePage_, &VolumePage::overlaySourceChanged, this, &MainWindow::updateOverlay);
    connect(&ctJob_, &BackgroundJob::succeeded, this, &MainWindow::onCtRunFinished);
    connect(&ctJob_, &BackgroundJob::failed, this, [this](const QString& message) { showError(tr("CT model failed"), message); });
    connect(&ctJob_, &BackgroundJob::progress, this, [this](int done, int total, const QString& what) {
        statusBar()->showMessage(tr("CT model: %1 (%2 of %3)").arg(what).arg(done).arg(total));
    });
    resize(1280, 800);
    const QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    statusBar()->showMessage(tr("No data loaded"));
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openData = file->addAction(tr("Open &Data…"), this, &MainWindow::chooseData);
    openData->setShortcut(QKeySequence::Open);
    openData->setObjectName("actionOpenData");
    QAction* openModel = file->addAction(tr("Open &Model…"), this, &MainWindow::chooseModel);
    openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openModel->setObjectName("actionOpenModel");
    QAction* openDicom = file->addAction(tr("Open D&ICOM Folder…"), this, &MainWindow::chooseDicomFolder);
    openDicom->setObjectName("actionOpenDicom");
    QMenu* demos = file->addMenu(tr("Open De&mo"));
    demos->setObjectName("menuDemos");
    demos->addAction(tr("DNA: splice-site classifier on held-out sequences"), this, [this] { openDemo(splicingDemo()); });
    demos->addAction(tr("CT: head CT with the synthetic-lesion model"), this, [this] { openDemo(ctDemo()); });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    refreshRecentMenu();
    file->addSeparator();
    buildExportMenu(file);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
    buildAppearanceMenu();
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About attnscope"), this, [this] {
        QMessageBox::about(this, tr("About attnscope"),
                           tr("<b>attnscope %1</b><p>Explore multi-head attention in Transformer models on "
                              "scientific and clinical data.</p>").arg(QApplication::applicationVersion()));
    });
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* content,
                                 Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks()
{
    modelInfo_ = new QTextBrowser;
    dataInfo_ = new QTextBrowser;
    modelInfo_->setPlaceholderText(tr("No model open. File > Open Model…"));
    dataInfo_->setPlaceholderText(tr("No data open. File > Open Data…"));
    addDock(tr("Model"), "dockModel", modelInfo_, Qt::LeftDockWidgetArea);
    addDock(tr("Data"), "dockData", dataInfo_, Qt::LeftDockWidgetArea);
    headGrid_ = new widgets::HeadGridView(&explorer_);
    track_ = new widgets::SequenceTrackView(&explorer_);
    addDock(tr("Heads"), "dockHeads", headGrid_, Qt::RightDockWidgetArea);
    headStats_ = new widgets::HeadStatsView(&explorer_);
    addDock(tr("Head statistics"), "dockHeadStats", headStats_, Qt::RightDockWidgetArea);
    addDock(tr("Sequence track"), "dockTrack", track_, Qt::BottomDockWidgetArea);
}

bool MainWindow::openPath(const QString& path)
{
    const QFileInfo info(path);
    if (info.isDir() && !QFileInfo::exists(path + "/config.json")) { // a folder that is not a model: DICOM
        openDicomFolder(path);
        recent_.add(path);
        refreshRecentMenu();
        return true;
    }
    const bool isModel = info.isDir();
    try {
        if (isModel)
            document_.openModel(path);
        else
            document_.openData(path);
    } catch (const std::exception& e) {
        showError(isModel ? tr("Cannot open model") : tr("Cannot open data"), QString::fromStdString(e.what()));
        return false;
    }
    recent_.add(path);
    refreshRecentMenu();
    statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
    return true;
}

void MainWindow::chooseData()
{
    const QString key = "folders/data";
    const QString path = QFileDialog::getOpenFileName(this, tr("Open data"), QSettings().value(key).toString(),
                                                      tr("FASTA (*.fa *.fasta *.fna *.fas);;All files (*)"));
    if (!path.isEmpty() && openPath(path))
        rememberFolder(key, QFileInfo(path).absolutePath());
}

void MainWindow::chooseDicomFolder()
{
    const QString key = "folders/dicom";
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open DICOM folder"), QSettings().value(key).toString());
    if (!dir.isEmpty() && openPath(dir))
        rememberFolder(key, QFileInfo(dir).absolutePath());
}

void MainWindow::openDicomFolder(const QString& folder)
{
    statusBar()->showMessage(tr("Reading %1…").arg(folder));
    dicom_.open(folder);
}

void MainWindow::buildDicomProgress()
{
    auto* bar = new QProgressBar;
    auto* cancel = new QPushButton(tr("Cancel"));
    bar->setObjectName("dicomProgress");
    cancel->setObjectName("dicomCancel");
    bar->setMaximumWidth(200);
    bar->hide();
    cancel->hide();
    statusBar()->addPermanentWidget(bar);
    statusBar()->addPermanentWidget(cancel);
    BackgroundJob& job = dicom_.job();
    connect(cancel, &QPushButton::clicked, &job, &BackgroundJob::cancel);
    connect(&job, &BackgroundJob::progress, this, [bar, cancel](int done, int total, const QString& what) {
        bar->show();
        cancel->show();
        bar->setRange(0, total);
        bar->setValue(done);
        bar->setFormat(what + " %v/%m");
    });
    connect(&job, &BackgroundJob::stopped, this, [this, bar, cancel] {
        if (!dicom_.job().isRunning()) { // a scan hands over to the load: keep showing
            bar->hide();
            cancel->hide();
        }
    });
    connect(&job, &BackgroundJob::cancelled, this, [this] {
        statusBar()->showMessage(tr("DICOM loading cancelled; what was open is unchanged"), 5000);
    });
}

void MainWindow::runCtModel()
{
    const auto model = document_.ctModel();
    const auto study = volumeState_.volume();
    if (!model || !study)
        return;
    auto run = std::make_shared<CtRun>();
    run->study = study;
    ctJob_.start([model, run](Progress& progress) {
        const Grid input = model->prepare(*run->study, &run->inputGeometry);
        RunOptions options;
        options.progress = &progress;
        run->result = model->run(input, options);
    });
    ctPending_ = run;
}

void MainWindow::onCtRunFinished()
{
    ctRun_ = ctPending_;
    const auto model = document_.ctModel();
    const Vector& logits = ctRun_->result.logits;
    const Vector p = (logits.array() - logits.maxCoeff()).exp().matrix();
    Index best = 0;
    p.maxCoeff(&best);
    const auto& labels = model->config().encoder.labels;
    const QString label = QString::fromStdString(labels[static_cast<std::size_t>(best)]);
    const double probability = static_cast<double>(p(best) / p.sum());
    volumePage_->setRunResult(ctRun_->result.attention.layers(), ctRun_->result.attention.heads(),
                              tr("Predicted <b>%1</b> (p = %2)").arg(label.toHtmlEscaped()).arg(probability, 0, 'f', 3));
    statusBar()->showMessage(tr("CT model ran: %1 (p = %2)").arg(label).arg(probability, 0, 'f', 3), 5000);
    updateOverlay();
}

void MainWindow::updateOverlay()
{
    if (!ctRun_ || ctRun_->study != volumeState_.volume() || !document_.ctModel())
        return; // the run belongs to another study
    const OverlaySource source = volumePage_->overlaySource();
    const auto overlay = std::make_shared<const Volume>(ctOverlay(*document_.ctModel(), ctRun_->result, source,
                                                                  ctRun_->inputGeometry, ctRun_->study->geometry));
    volumeState_.setOverlay(overlay, QString::fromStdString(describe(source)));
}

void MainWindow::onStudyLoaded(const LoadedStudy& study)
{
    volumeState_.setVolume(study.volume, study.name);
    volumeState_.setWindow(400, 40);
    volumePage_->setDetails(study.detailsHtml, study.warnings);
    volumePage_->setModelReady(document_.ctModel() != nullptr);
    pages_->setCurrentWidget(volumePage_);
    statusBar()->showMessage(tr("Loaded %1").arg(study.name), 5000);
}

void MainWindow::chooseModel()
{
    const QString key = "folders/model";
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open model folder"), QSettings().value(key).toString());
    if (!dir.isEmpty() && openPath(dir))
        rememberFolder(key, QFileInfo(dir).absolutePath());
}

void MainWindow::rememberFolder(const QString& key, const QString& path)
{
    QSettings().setValue(key, path);
}

void MainWindow::refreshRecentMenu()
{
    recentMenu_->clear();
    for (const QString& path : recent_.paths())
        recentMenu_->addAction(path, this, [this, path] { openPath(path); });
    recentMenu_->setEnabled(!recent_.paths().isEmpty());
}

void MainWindow::refreshViews()
{
    volumePage_->setModelReady(document_.ctModel() && volumeState_.volume());
    modelInfo_->setHtml(modelSummaryHtml(document_));
    dataInfo_->setHtml(dataSummaryHtml(document_));
    summary_->setHtml(documentSummaryHtml(document_));
    const bool ready = document_.model() && !document_.records().empty();
    if (ready)
        pages_->setCurrentWidget(explorerPage_);
    else if (volumeState_.volume())
        pages_->setCurrentWidget(volumePage_); // a CT study stays in view when a model is opened
    else
        pages_->setCurrentWidget(document_.isEmpty() ? static_cast<QWidget*>(startPage_) : summary_);
    if (!ready)
        return;
    QStringList names;
    std::vector<int> lengths;
    for (const FastaRecord& r : document_.records()) {
        names << QString::fromStdString(r.description.empty() ? r.name : r.name + "  " + r.description);
        lengths.push_back(static_cast<int>(r.sequence.size()));
    }
    explorerPage_->setRecords(names, lengths, maxBases());
    runCurrent();
}

void MainWindow::runCurrent()
{
    const int index = explorerPage_->currentRecord();
    if (!document_.model() || index < 0 || index >= static_cast<int>(document_.records().size()))
        return;
    const FastaRecord& record = document_.records()[static_cast<std::size_t>(index)];
    const int maxBases = this->maxBases();
    QString name = QString::fromStdString(record.name);
    std::string sequence = record.sequence;
    if (static_cast<int>(sequence.size()) > maxBases) { // never cut silently: the window is chosen and named
        const int start = explorerPage_->windowStart(), length = explorerPage_->windowLength();
        sequence = sequence.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
        name += QString(" [%1-%2]").arg(start + 1).arg(start + static_cast<int>(sequence.size()));
    }
    explorerPage_->setRunning(true);
    runner_.start(document_.model(), std::move(sequence), name, {});
}

int MainWindow::maxBases() const
{
    const auto& model = *document_.model();
    return model.tokenizer().maxBases(model.config().maxLen);
}

void MainWindow::onRunFinished(const widgets::RunData& run)
{
    explorer_.setRun(run);
    statusBar()->showMessage(tr("Ran %1 (%2 tokens)").arg(run.name).arg(run.length()), 5000);
    if (run.unknownCount > 0)
        explorerPage_->setMessage(tr("%1: %2 %3 not in the model's vocabulary (IUPAC codes such as N) "
                                     "and ran as the unknown token.")
                                      .arg(run.name)
                                      .arg(run.unknownCount)
                                      .arg(run.perBase() ? tr("k-mers are") : tr("characters are")));
}

void MainWindow::buildExportMenu(QMenu* file)
{
    QMenu* menu = file->addMenu(tr("&Export"));
    menu->setObjectName("exportMenu");
    const auto add = [&](const QString& title, const QString& name, const widgets::FigureSource* source, bool attention) {
        menu->addAction(title, this, [this, source, name, attention] {
            if (attention ? !explorer_.hasRun() : !volumeState_.volume()) {
                showError(tr("Nothing to export"), attention ? tr("Run a model on a sequence first.") : tr("Open a DICOM folder first."));
                return;
            }
            const QString error = exportInteractively(this, *source, name);
            if (!error.isEmpty())
                showError(tr("Export failed"), error);
        });
    };
    add(tr("Attention &map…"), "attention-map", explorerPage_->mapView(), true);
    add(tr("&Tokens…"), "tokens", explorerPage_->tokenView(), true);
    add(tr("&Head grid…"), "head-grid", headGrid_, true);
    add(tr("Head s&tatistics…"), "head-statistics", headStats_, true);
    add(tr("&Sequence track…"), "sequence-track", track_, true);
    menu->addSeparator();
    add(tr("&Axial slice…"), "axial", volumePage_->view(Plane::Axial), false);
    add(tr("&Coronal slice…"), "coronal", volumePage_->view(Plane::Coronal), false);
    add(tr("Sa&gittal slice…"), "sagittal", volumePage_->view(Plane::Sagittal), false);
    add(tr("&3D view…"), "volume-3d", volumePage_->renderView(), false);
}

void MainWindow::buildAppearanceMenu()
{
    viewMenu_->addSeparator();
    QMenu* maps = viewMenu_->addMenu(tr("&Colormap"));
    auto* group = new QActionGroup(this);
    QSettings settings;
    const QString chosen = settings.value("view/colormap", "viridis").toString();
    for (const std::string& n : Colormap::names()) {
        const QString name = QString::fromStdString(n);
        QAction* a = maps->addAction(name, this, [this, name] {
            explorer_.setColormap(name);
            QSettings().setValue("view/colormap", name);
        });
        a->setCheckable(true);
        a->setChecked(name == chosen);
        group->addAction(a);
    }
    try {
        explorer_.setColormap(chosen);
    } catch (const std::exception&) {
        explorer_.setColormap("viridis"); // a stale setting
    }
    QAction* log = viewMenu_->addAction(tr("&Logarithmic colour scale"), this, [this](bool on) {
        explorer_.setScale(on ? ColourScale::Log : ColourScale::Linear);
        QSettings().setValue("view/logScale", on);
    });
    log->setCheckable(true);
    log->setChecked(settings.value("view/logScale", false).toBool());
    explorer_.setScale(log->isChecked() ? ColourScale::Log : ColourScale::Linear);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    lastError_ = message;
    statusBar()->showMessage(message, 10000);
    // Window-modal and non-blocking: the open document stays usable behind it.
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setObjectName("errorDialog");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
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

bool MainWindow::openDemo(const Demo& demo)
{
    if (demo.model.isEmpty() || demo.data.isEmpty()) {
        showError(tr("Demo not found"), tr("The bundled demo files are missing (set ATTNSCOPE_RESOURCES to the resources folder)."));
        return false;
    }
    return openPath(demo.model) && openPath(demo.data);
}

} // namespace attn::app
