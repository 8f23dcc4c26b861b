#pragma once
/// @file SourceChooser.h
/// The choice of what the map, the token lines and the timeline's arcs show (issue 25, section 4):
/// the run's attention, or a decomposition of every layer (Attn-N, GlobEnc, ALTI), computed by one
/// more forward of the run's predictor with its interventions, in the background, kept per run. Once
/// computed it is the shown state's `sourceMaps`, which the views read through `shownStore`.

#include "common/ExplorerState.h"

#include <QWidget>

class QLabel;

namespace attn::widgets {

class RunComputation;

/// "Source: [attention | attn-n | globenc | alti] Compute", with progress and what went wrong.
class SourceChooser : public QWidget {
    Q_OBJECT
public:
    explicit SourceChooser(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the shown workspace's).
    void setState(ExplorerState* state);
    RunComputation* controls() const { return controls_; }
    /// Computes the chosen decomposition of the shown run (nothing for attention).
    void compute();
    /// The chosen source's name ("attention", "alti"): a session's.
    QString source() const;
    /// Chooses a source by name (a session's) and computes it for the shown run; an unknown name
    /// chooses attention.
    void restore(const QString& source);

private:
    /// Shows what is kept for the shown run and the choice (attention when nothing is).
    void apply();
    AttributionMethod chosen() const;

    ExplorerState* state_ = nullptr;
    RunComputation* controls_;
    QLabel* status_;
};

} // namespace attn::widgets
