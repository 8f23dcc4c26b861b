#pragma once
/// @file AppTestSupport.h
/// What the window tests share.

#include "common/RunComputation.h"
#include "common/SourceChooser.h"
#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "kinds/KindRegistry.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>

#include <stdexcept>
#include <string>

namespace attn::test {

/// Waits (up to 2 minutes) until the shown workspace's data has run and nothing of it (a run,
/// an overlay, an alignment's analysis) is still working.
inline bool waitForRun(app::MainWindow& w)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 120000) {
        kinds::Workspace* s = w.shownWorkspace();
        bool busy = s && (s->runJob().isRunning() || s->openJob().isRunning());
        for (const auto& [what, job] : s ? s->backgroundJobs() : std::vector<std::pair<QString, kinds::BackgroundJob*>>{})
            busy = busy || job->isRunning();
        if (s && s->hasData() && w.explorer().hasRun() && !busy)
            return true;
        QTest::qWait(20);
    }
    return false;
}

/// Opens a path as the window does, then waits until any workspace reading an input in the
/// background has shown it (or failed); true when it opened and no new error was shown.
/// Chooses `name` in the map's Source box ("alti", ...) and computes it for the shown run (waits).
inline void computeSource(app::MainWindow& w, const QString& name)
{
    widgets::SourceChooser* chooser = w.explorerPage()->sourceChooser();
    chooser->controls()->choiceBox()->setCurrentText(name);
    chooser->compute();
    chooser->controls()->job().wait();
}

inline bool openAndWait(app::MainWindow& w, const QString& path)
{
    const QString before = w.lastError();
    const bool ok = w.openPath(path);
    for (const kinds::Kind* kind : kinds::kindRegistry())
        if (kinds::Workspace* workspace = w.workspace(*kind))
            workspace->openJob().wait();
    return ok && w.lastError() == before;
}

/// The registered kind named `name` ("EHR", "Protein").
inline const kinds::Kind& kindNamed(const std::string& name)
{
    for (const kinds::Kind* k : kinds::kindRegistry())
        if (k->name() == name)
            return *k;
    throw std::runtime_error("no kind " + name);
}

/// The window's workspace of the kind `name`, as its own class.
template <class W>
W& workspaceOf(app::MainWindow& w, const char* name)
{
    return dynamic_cast<W&>(*w.workspace(name));
}

/// Settings and recent files of a test, apart from the user's (QStandardPaths' test mode).
inline void useTestSettings(const char* application)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("attnscope-tests");
    QCoreApplication::setApplicationName(application);
}

} // namespace attn::test
