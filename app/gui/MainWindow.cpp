#include "gui/MainWindow.h"

#include "gui/DocumentSummary.h"
#include "start/StartPage.h"

#include <QAction>
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
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>

#include <stdexcept>

namespace attn::app {
namespace {

QLabel* placeholder(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(12);
    label->setEnabled(false);
    return label;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("attnscope"));
    setAcceptDrops(true);
    pages_ = new QStackedWidget;
    startPage_ = new widgets::StartPage;
    summary_ = new QTextBrowser;
    summary_->setObjectName("summaryPage");
    pages_->addWidget(startPage_);
    pages_->addWidget(summary_);
    setCentralWidget(pages_);
    connect(startPage_, &widgets::StartPage::openDataRequested, this, &MainWindow::chooseData);
    connect(startPage_, &widgets::StartPage::openModelRequested, this, &MainWindow::chooseModel);
    buildDocks();
    buildMenus();
    connect(&document_, &Document::modelChanged, this, &MainWindow::refreshViews);
    connect(&document_, &Document::dataChanged, this, &MainWindow::refreshViews);
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
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    refreshRecentMenu();
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
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
    addDock(tr("Heads"), "dockHeads", placeholder(tr("Per-head attention maps of every layer appear here after a run.")),
            Qt::RightDockWidgetArea);
    addDock(tr("Head statistics"), "dockHeadStats",
            placeholder(tr("Entropy, attended distance and [CLS] mass of each head appear here after a run.")),
            Qt::RightDockWidgetArea);
    addDock(tr("Sequence track"), "dockTrack",
            placeholder(tr("Attention rollout along the sequence appears here after a run.")), Qt::BottomDockWidgetArea);
}

bool MainWindow::openPath(const QString& path)
{
    const bool isModel = QFileInfo(path).isDir();
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
    modelInfo_->setHtml(modelSummaryHtml(document_));
    dataInfo_->setHtml(dataSummaryHtml(document_));
    summary_->setHtml(documentSummaryHtml(document_));
    pages_->setCurrentWidget(document_.isEmpty() ? static_cast<QWidget*>(startPage_) : summary_);
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

} // namespace attn::app
