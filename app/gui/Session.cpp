#include "gui/Session.h"

#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "io/BinaryFile.h"
#include "kinds/KindRegistry.h"
#include "kinds/Workspace.h"
#include "common/SourceChooser.h"
#include "util/Error.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>

namespace attn::app {
namespace {

void requireString(const QJsonObject& o, const char* key, const QString& where)
{
    check<FormatError>(o.value(key).isString(), (where + ": '" + key + "' must be a string").toStdString());
}

/// A path of the session that must still exist ("" is allowed: nothing was open).
void requirePresent(const QJsonObject& o, const char* key, const QString& what, const QString& where)
{
    const QString path = o.value(key).toString();
    check<IoError>(path.isEmpty() || QFileInfo::exists(path),
                   (where + ": the " + what + " '" + path + "' has moved or is gone; nothing was changed").toStdString());
}

/// The session's interventions ("interventions": ["1,0:zero", "0,2:T=2"], as --intervene takes
/// them; none when absent): Error naming the file and the edit when one is malformed.
Interventions sessionInterventions(const QJsonObject& s, const QString& where)
{
    const QJsonValue value = s.value("interventions");
    check<FormatError>(value.isUndefined() || value.isArray(), (where + ": 'interventions' must be a list").toStdString());
    std::vector<HeadEdit> edits;
    try {
        for (const QJsonValue& edit : value.toArray()) {
            check<FormatError>(edit.isString(), "every edit must be a string such as \"1,0:zero\"");
            edits.push_back(parseHeadEdit(edit.toString().toStdString()));
        }
        return Interventions(std::move(edits));
    } catch (const std::exception& e) {
        throw FormatError((where + ": 'interventions': ").toStdString() + e.what());
    }
}

/// The shown workspace's interventions as a session keeps them.
QJsonArray interventionsJson(const kinds::Workspace* shown)
{
    QJsonArray out;
    if (shown)
        for (const HeadEdit& e : shown->interventions().edits())
            out.append(QString::fromStdString(e.spec()));
    return out;
}

} // namespace

QJsonObject readSessionFile(const QString& path)
{
    const std::string text = readWholeFile(path.toStdString());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    check<FormatError>(error.error == QJsonParseError::NoError && doc.isObject(),
                       (path + ": not an attnscope session (" + (doc.isObject() ? QString() : error.errorString()) + ")").toStdString());
    const QJsonObject s = doc.object();
    const QJsonValue version = s.value("attnscope_session");
    check<FormatError>(version.isDouble() && version.toInt() >= 1, (path + ": not an attnscope session (no 'attnscope_session' version)").toStdString());
    check<FormatError>(version.toInt() <= kSessionVersion,
                       (path + QString(": written by a newer attnscope (session version %1; this one reads up to %2)")
                                   .arg(version.toInt()).arg(kSessionVersion)).toStdString());
    for (const char* key : {"model", "kind", "data"})
        requireString(s, key, path);
    for (const char* key : {"kind_state", "selection", "display"})
        check<FormatError>(s.value(key).isObject(), (path + ": '" + key + "' must be an object").toStdString());
    requirePresent(s, "model", QObject::tr("model"), path);
    requirePresent(s, "data", QObject::tr("data"), path);
    (void)sessionInterventions(s, path);
    return s;
}

SessionController::SessionController(MainWindow& window) : QObject(&window), window_(window)
{
    timer_.setInterval(60 * 1000);
    connect(&timer_, &QTimer::timeout, this, &SessionController::autosave);
    timer_.start();
    connect(&window_, &MainWindow::runStopped, this, [this] {
        if (pending_.isEmpty())
            autosave();
    });
    for (const kinds::Kind* kind : kinds::kindRegistry()) { // a session's view is applied once its data ran
        kinds::Workspace* w = window_.workspace(*kind);
        connect(w, &kinds::Workspace::opened, this, [this, w] { reopened_ = reopened_ || w == pendingWorkspace_; });
        connect(w, &kinds::Workspace::ran, this, [this, w] {
            if (!pending_.isEmpty() && reopened_ && w == pendingWorkspace_)
                applyAfterRun();
        });
        const auto abandon = [this, w] { // the session cannot be shown: it must not apply to what opens next
            if (pending_.isEmpty() || w != pendingWorkspace_)
                return;
            pending_ = {};
            pendingWorkspace_ = nullptr;
            window_.setReopening(nullptr);
        };
        connect(w, &kinds::Workspace::openFailed, this, abandon);
        connect(&w->runJob(), &widgets::BackgroundJob::failed, this, abandon);
        connect(&w->runJob(), &widgets::BackgroundJob::cancelled, this, abandon);
    }
}

SessionController::~SessionController()
{
    QFile::remove(autosavePath()); // a normal shutdown: nothing to recover
}

QString SessionController::autosavePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/autosave.attnscope";
}

QJsonObject SessionController::capture() const
{
    const kinds::Workspace* shown = window_.shownWorkspace();
    const auto& e = const_cast<MainWindow&>(window_).explorer();
    return {{"attnscope_session", kSessionVersion},
            {"saved", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
            {"model", window_.document().model() ? QFileInfo(window_.document().modelPath()).absoluteFilePath() : QString()},
            {"kind", shown ? QString::fromStdString(shown->kind().name()) : QString()},
            {"data", shown && shown->hasData() ? QFileInfo(shown->dataPath()).absoluteFilePath() : QString()},
            {"kind_state", shown && shown->hasData() ? shown->saveState() : QJsonObject{}},
            {"selection", QJsonObject{{"layer", e.layer()}, {"head", e.head()}, {"token", e.token()}}},
            {"interventions", interventionsJson(shown)},
            {"display", QJsonObject{{"colormap", QString::fromStdString(e.colormap().name())},
                                    {"scale", e.scale() == ColourScale::Log ? "log" : "linear"},
                                    {"compare", QJsonArray{e.compareLayer(), e.compareHead()}},
                                    {"source", window_.explorerPage()->sourceChooser()->source()}}}};
}

bool SessionController::save(const QString& path)
{
    try {
        writeBinaryFile(path.toStdString(), QJsonDocument(capture()).toJson().toStdString());
    } catch (const std::exception& e) {
        window_.showError(tr("Cannot save the session"), QString::fromStdString(e.what()));
        return false;
    }
    recent_.add(path);
    refreshRecentMenu();
    return true;
}

bool SessionController::open(const QString& path)
{
    QJsonObject s;
    kinds::Workspace* workspace = nullptr;
    try {
        s = readSessionFile(path);
        workspace = window_.workspace(s.value("kind").toString());
        check<FormatError>(s.value("data").toString().isEmpty() || workspace,
                           (path + ": no kind of data named '" + s.value("kind").toString() + "'").toStdString());
    } catch (const std::exception& e) {
        window_.showError(tr("Cannot open the session"), QString::fromStdString(e.what()));
        return false;
    }
    const QString model = s.value("model").toString(), data = s.value("data").toString();
    if (!model.isEmpty() && QFileInfo(window_.document().modelPath()).absoluteFilePath() != model && !window_.openPath(model))
        return false;
    recent_.add(path);
    refreshRecentMenu();
    if (data.isEmpty())
        return true;
    pending_ = s;
    pendingWorkspace_ = workspace;
    reopened_ = false;
    workspace->restoreOnOpen(s.value("kind_state").toObject());
    workspace->restoreInterventions(sessionInterventions(s, path)); // the run the open starts has them
    const QString note = tr("reopening %1…").arg(QFileInfo(path).fileName());
    window_.expectOpen(workspace, note); // "reopening…", never the previous result, until it ran
    window_.setReopening(workspace, note);
    if (!window_.openPath(data)) {
        pending_ = {};
        window_.setReopening(nullptr);
        window_.cancelExpectedOpen();
        return false;
    }
    return true;
}

void SessionController::applyAfterRun()
{
    const QJsonObject s = std::exchange(pending_, {});
    widgets::ExplorerState& e = pendingWorkspace_->explorer(); // the selection belongs to the session's run
    const QJsonObject display = s.value("display").toObject(), selection = s.value("selection").toObject();
    try {
        window_.setAppearance(display.value("colormap").toString("viridis"),
                              display.value("scale").toString() == "log" ? ColourScale::Log : ColourScale::Linear);
    } catch (const std::exception&) { // an unknown colormap: the scale alone
        window_.setAppearance(QString::fromStdString(e.colormap().name()), display.value("scale").toString() == "log" ? ColourScale::Log : ColourScale::Linear);
    }
    const QJsonArray compare = display.value("compare").toArray();
    e.select(selection.value("layer").toInt(), selection.value("head").toInt());
    e.selectToken(selection.value("token").toInt(-1));
    if (compare.size() == 2)
        e.setComparison(compare[0].toInt(), compare[1].toInt());
    pendingWorkspace_->restoreAfterRun(s.value("kind_state").toObject());
    window_.explorerPage()->sourceChooser()->restore(display.value("source").toString("attention")); // computed again
    window_.setReopening(nullptr);
    autosave();
    emit restored();
}

void SessionController::autosave()
{
    const kinds::Workspace* shown = window_.shownWorkspace();
    if (!window_.document().model() && !(shown && shown->hasData()))
        return;
    QDir().mkpath(QFileInfo(autosavePath()).absolutePath());
    QFile file(autosavePath());
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(capture()).toJson());
}

void SessionController::offerRecovery()
{
    if (!QFileInfo::exists(autosavePath()))
        return;
    const QString copy = autosavePath() + ".recovered"; // this window's own autosave will overwrite the original
    QFile::remove(copy);
    QFile::copy(autosavePath(), copy);
    auto* box = new QMessageBox(QMessageBox::Question, tr("Restore the last session?"),
                                tr("attnscope did not close normally last time. Restore the session it was showing?"),
                                QMessageBox::Yes | QMessageBox::No, &window_);
    box->setObjectName("restorePrompt");
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, copy](int result) {
        if (result == QMessageBox::Yes)
            open(copy);
    });
    box->open();
}

void SessionController::addMenuItems(QMenu* file)
{
    const QString filter = tr("attnscope session (*.attnscope)");
    file->addAction(tr("Save &Session…"), this, [this, filter] {
        QString path = QFileDialog::getSaveFileName(&window_, tr("Save session"), QString(), filter);
        if (!path.isEmpty())
            save(path.endsWith(".attnscope") ? path : path + ".attnscope");
    })->setObjectName("actionSaveSession");
    file->addAction(tr("Open S&ession…"), this, [this, filter] {
        const QString path = QFileDialog::getOpenFileName(&window_, tr("Open session"), QString(), filter);
        if (!path.isEmpty())
            open(path);
    })->setObjectName("actionOpenSession");
    recentMenu_ = file->addMenu(tr("Open Recent Sess&ion"));
    recentMenu_->setObjectName("menuRecentSessions");
    refreshRecentMenu();
}

void SessionController::refreshRecentMenu()
{
    if (!recentMenu_)
        return;
    recentMenu_->clear();
    for (const QString& path : recent_.paths())
        recentMenu_->addAction(path, this, [this, path] { open(path); });
    recentMenu_->setEnabled(!recent_.paths().isEmpty());
}

} // namespace attn::app
