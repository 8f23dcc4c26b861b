#pragma once
/// @file ExplorerPage.h
/// The centre of the window once a model and data are open: which record to run (and
/// which window of it, when it is longer than the model takes), Run / Cancel with
/// progress, the prediction, and the attention map and token views.

#include "common/ExplorerState.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace attn::widgets {
class AttentionMapView;
class TokenView;
}

namespace attn::app {

/// Run controls and the main attention views.
class ExplorerPage : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerPage(widgets::ExplorerState* state, QWidget* parent = nullptr);

    /// Lists records (names) to choose from; the model's input limit decides the window.
    void setRecords(const QStringList& names, const std::vector<int>& lengths, int maxBases);
    /// Selected record index.
    int currentRecord() const;
    /// Selects a record.
    void setCurrentRecord(int index);
    /// First base (0-based) of the window run for the current record (0 without a window).
    int windowStart() const;
    /// Bases in the window (the model's maximum unless the user chose fewer).
    int windowLength() const;
    /// Shows a run in progress (true) or idle (false).
    void setRunning(bool running);
    /// Shows progress of the current run.
    void setProgress(int done, int total, const QString& what);
    /// Shows a message under the controls.
    void setMessage(const QString& text);

    widgets::AttentionMapView* mapView() const { return map_; }
    widgets::TokenView* tokenView() const { return tokens_; }
    QTabWidget* tabs() const { return tabs_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }

signals:
    /// The user asked for a run of the current record and window.
    void runRequested();
    /// The user asked to cancel the current run.
    void cancelRequested();

private:
    void updateWindowControls();
    void showPrediction();

    widgets::ExplorerState* state_;
    QComboBox* records_;
    QSpinBox* windowStart_;
    QSpinBox* windowLength_;
    QLabel* windowLabel_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* prediction_;
    QLabel* message_;
    QTabWidget* tabs_;
    widgets::AttentionMapView* map_;
    widgets::TokenView* tokens_;
    std::vector<int> lengths_;
    int maxBases_ = 0;
};

} // namespace attn::app
