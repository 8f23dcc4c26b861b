#pragma once
/// @file JobIndicator.h
/// The status bar's view of the background work other than runs (the Run / Cancel row has
/// those): opening a study, computing an overlay, placing a reference, writing an export. While
/// any of them runs it shows what, its progress, and a Cancel that stops them at their next step
/// (a cancelled job leaves what was shown before, or the file at the path, as it was).

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QStatusBar;
class QProgressBar;
class QToolButton;

namespace attn::widgets {
class BackgroundJob;
}
namespace attn::kinds {
class Workspace;
}

namespace attn::app {

/// Progress and Cancel for the window's background jobs.
class JobIndicator : public QWidget {
    Q_OBJECT
public:
    explicit JobIndicator(QWidget* parent = nullptr);
    /// Shows `job` while it runs, as `what` ("Opening the study").
    void follow(widgets::BackgroundJob& job, const QString& what);
    /// Cancels every followed job that is running.
    void cancelAll();

private:
    void refresh();

    std::vector<widgets::BackgroundJob*> jobs_;
    std::vector<QString> names_;
    QLabel* label_;
    QProgressBar* progress_;
    QToolButton* cancel_;
};

/// A JobIndicator in `bar`, following every background job of `workspaces`.
JobIndicator* addJobIndicator(QStatusBar* bar, const std::vector<std::unique_ptr<kinds::Workspace>>& workspaces);

} // namespace attn::app
