#pragma once
/// @file AppTestSupport.h
/// What the window tests share.

#include "gui/MainWindow.h"

#include <QElapsedTimer>
#include <QTest>

namespace attn::test {

/// Waits (up to 2 minutes) until the shown workspace's data has run and nothing is still working.
inline bool waitForRun(app::MainWindow& w)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 120000) {
        kinds::Workspace* s = w.shownWorkspace();
        if (s && s->hasData() && w.explorer().hasRun() && !s->runJob().isRunning())
            return true;
        QTest::qWait(20);
    }
    return false;
}

} // namespace attn::test
