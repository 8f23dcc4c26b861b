#pragma once
/// @file RunComputation.h
/// The controls and bookkeeping of a view that computes something about the shown run in the
/// background (head importance, faithfulness): a choice (the ablation, the source), Compute,
/// progress and Cancel, and the results kept per run and choice (a run replaced by a new one at
/// the same address is never mistaken for it).

#include "common/BackgroundJob.h"
#include "model/RunResult.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <map>
#include <memory>

class QComboBox;
class QProgressBar;
class QPushButton;

namespace attn::widgets {

/// A row of controls above such a view, with its job and cache.
class RunComputation : public QWidget {
    Q_OBJECT
public:
    /// `label` names the choice, `choices` are its items; objectName prefixes the children's names.
    RunComputation(const QString& label, const QStringList& choices, QWidget* parent = nullptr);
    QComboBox* choiceBox() const { return choice_; }
    QPushButton* computeButton() const { return compute_; }
    BackgroundJob& job() { return job_; }
    /// The result kept for `run` and the current choice, or null.
    std::shared_ptr<const void> find(const RunResult* run) const;
    /// Runs `work` in the background; once it succeeds, `result` is kept for `run` and the choice
    /// made now.
    void start(const std::shared_ptr<const RunResult>& run, std::shared_ptr<const void> result, std::function<void(Progress&)> work);
    /// Compute is enabled when `can`, nothing runs and nothing is kept for `run`.
    void refresh(const RunResult* run, bool can);

signals:
    /// Compute was pressed.
    void computeRequested();
    /// The choice changed, or a computation stopped: the view shows what is kept now.
    void changed();

private:
    struct Key {
        const RunResult* run;
        int choice;
        bool operator<(const Key& o) const { return run != o.run ? run < o.run : choice < o.choice; }
    };
    struct Kept {
        std::weak_ptr<const RunResult> run;
        std::shared_ptr<const void> result;
    };

    QComboBox* choice_;
    QPushButton* compute_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    BackgroundJob job_;
    Key pendingKey_{nullptr, 0};
    Kept pending_;
    std::map<Key, Kept> kept_;
};

} // namespace attn::widgets
