#pragma once
/// @file ExplorerState.h
/// The state every attention view of one input shares: its run, the selected layer, head and
/// token, and the colour settings. Views read it and write selections to it; it notifies all
/// of them, which is how the views stay linked. Each kind's workspace owns one, so a selection
/// belongs to the run it was made on; the window's shared views follow the shown one.

#include "common/RunData.h"
#include "interpret/Attributions.h"
#include "render/Colormap.h"

#include <QObject>

#include <memory>

namespace attn::widgets {

/// A decomposition shown in place of a run's attention (docs/attributions.md): one map per layer,
/// its heads combined, and each layer's reconstruction error.
struct SourceMaps {
    AttributionMethod method = AttributionMethod::Attention;
    AttentionStore store;                     ///< layers x 1 "head" x T x T, float32.
    std::vector<double> reconstructionErrors; ///< Per layer: max |sum of parts - real| / max |real|.
    const RunResult* of = nullptr;            ///< The run they decompose.
};

/// Shared run and selection of the explorer views.
class ExplorerState : public QObject {
    Q_OBJECT
public:
    explicit ExplorerState(QObject* parent = nullptr);

    /// The run shown (result null before the first run).
    const RunData& run() const { return run_; }
    /// True when a run is shown.
    bool hasRun() const { return run_.result != nullptr; }
    /// Selected layer.
    int layer() const { return layer_; }
    /// Selected head.
    int head() const { return head_; }
    /// Selected query token, or -1 for none (views then use [CLS]).
    int token() const { return token_; }
    /// Colormap of the heatmaps.
    const Colormap& colormap() const { return colormap_; }
    /// Linear or logarithmic colour scale.
    ColourScale scale() const { return scale_; }
    /// True when the map shows the selected head minus a comparison head.
    bool comparing() const { return compareLayer_ >= 0; }
    /// The comparison head's layer (-1: none).
    int compareLayer() const { return compareLayer_; }
    /// The comparison head (-1: none).
    int compareHead() const { return compareHead_; }
    /// The decomposition shown in place of the run's attention, or null (raw attention).
    const SourceMaps* sourceMaps() const { return sourceMaps_.get(); }
    /// The same, shared (for a worker that outlives the next change).
    std::shared_ptr<const SourceMaps> sharedSourceMaps() const { return sourceMaps_; }
    /// What the map, the token lines and the timeline's arcs show: the decomposition's store when one
    /// is shown, else the run's attention (a run must be shown).
    const AttentionStore& shownStore() const { return sourceMaps_ ? sourceMaps_->store : run_.result->attention; }
    /// The head of shownStore to read for `head` (0 for a decomposition: its heads combined).
    int shownHead(int head) const { return sourceMaps_ ? 0 : head; }
    /// "attention", "Attn-N", "GlobEnc" or "ALTI": what shownStore holds.
    QString sourceName() const;

    /// Shows a new run: keeps the selected layer and head where they still exist, and the token
    /// only when the new run has the same tokens (a re-run of the same input).
    void setRun(RunData run);
    /// Forgets the run (new data was opened): no run, and the default selection (layer 0,
    /// head 0, no token, no comparison).
    void clearRun();
    /// Selects a head (clamped to the run's extents).
    void select(int layer, int head);
    /// Selects a query token (-1 for none).
    void selectToken(int token);
    /// Changes the colormap by name (see Colormap::names()).
    void setColormap(const QString& name);
    /// Changes the colour scale.
    void setScale(ColourScale scale);
    /// Compares the selected head with (layer, head): the map shows their difference with a
    /// diverging colormap. (-1, -1) stops comparing.
    void setComparison(int layer, int head);
    /// Shows a decomposition of the shown run in place of its attention (null: the attention).
    /// Ignored when the maps are of another run. A new run or clearRun drops them.
    void setSourceMaps(std::shared_ptr<const SourceMaps> maps);
    /// Asks whoever runs this input (its workspace) to change a head and run again; the run shown
    /// stays until the changed one is ready.
    void requestHeadEdit(const HeadEdit& edit) { emit headEditRequested(edit); }
    /// Asks to restore head (layer, head) of the main attention, or every head when layer < 0.
    void requestHeadRestore(int layer, int head) { emit headRestoreRequested(layer, head); }

signals:
    /// A view asked for a head's change (requestHeadEdit).
    void headEditRequested(const attn::HeadEdit& edit);
    /// A view asked for heads to be restored (requestHeadRestore).
    void headRestoreRequested(int layer, int head);
    /// A new run is shown.
    void runChanged();
    /// The selected layer or head changed.
    void headChanged(int layer, int head);
    /// The selected token changed.
    void tokenChanged(int token);
    /// Colormap, scale or comparison changed.
    void appearanceChanged();
    /// The source shown changed (attention or a decomposition): shownStore holds other numbers.
    void sourceChanged();

private:
    RunData run_;
    int layer_ = 0;
    int head_ = 0;
    int token_ = -1;
    Colormap colormap_;
    ColourScale scale_ = ColourScale::Linear;
    int compareLayer_ = -1;
    int compareHead_ = -1;
    std::shared_ptr<const SourceMaps> sourceMaps_;
};

} // namespace attn::widgets
