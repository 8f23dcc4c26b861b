#pragma once
/// @file ExplorerPage.h
/// The centre of the window once data is open, for every kind: the kind's own controls (which
/// record, ...), Run / Cancel with progress, the prediction, and tabs: the kind's own (a CT
/// study's slices and 3D) followed by the shared attention map and token views.

#include "common/ExplorerState.h"
#include "common/BackgroundJob.h"

#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QTabWidget;

namespace attn::widgets {
class AttentionMapView;
class FaithfulnessView;
class SourceChooser;
class TokenView;
}

namespace attn::app {

/// Run controls and the main attention views.
class ExplorerPage : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerPage(widgets::ExplorerState* state, QWidget* parent = nullptr);

    /// Shows a kind's controls (may be null) and its tabs before the attention tabs, in place
    /// of the previous kind's (which are hidden, not deleted: their workspace owns them).
    void showKind(QWidget* controls, const std::vector<std::pair<QString, QWidget*>>& tabs);
    /// Follows another input's state (the window shows another kind): its run, selection and header.
    void setState(widgets::ExplorerState* state);
    /// Names the open input in the header, and says what to do while it has no run
    /// ("Run to see attention"); both empty when nothing is open.
    void setInput(const QString& input, const QString& idleHint);
    /// Adds a tab after the shared attention tabs (a view the window owns, such as enrichment).
    void addViewTab(QWidget* view, const QString& title);
    /// Shows a run in progress (true) or idle (false).
    void setRunning(bool running);
    /// Shows progress of the current run.
    void setProgress(int done, int total, const QString& what);
    /// Shows a message under the controls.
    void setMessage(const QString& text);

    widgets::AttentionMapView* mapView() const { return map_; }
    widgets::TokenView* tokenView() const { return tokens_; }
    widgets::FaithfulnessView* faithfulnessView() const { return faithfulness_; }
    /// What the map, the token lines and the timeline's arcs show (attention or a decomposition).
    widgets::SourceChooser* sourceChooser() const { return source_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }

signals:
    /// The user asked for a run of the current record and window.
    void runRequested();
    /// The user asked to cancel the current run.
    void cancelRequested();

private:
    void showPrediction();
    void fillComparison();
    QWidget* buildMapTab();
    QWidget* buildTokenTab();

    widgets::ExplorerState* state_ = nullptr;
    QString input_;
    QString idleHint_;
    QComboBox* compare_;
    QHBoxLayout* controlsRow_;
    QScrollArea* controlsArea_;
    std::vector<QWidget*> kindTabs_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* prediction_;
    QLabel* message_;
    QTabWidget* tabs_;
    widgets::AttentionMapView* map_;
    widgets::TokenView* tokens_;
    widgets::FaithfulnessView* faithfulness_;
    widgets::SourceChooser* source_;
};

} // namespace attn::app
