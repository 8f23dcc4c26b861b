#pragma once
/// @file SequenceTrackView.h
/// Strips aligned under the sequence: the attention rollout row of the selected token
/// (or [CLS]) with its controls (head fusion, discard ratio, start layer), and the
/// selected head's attention from that token. The rollout row is computed on a worker (at
/// 4,096 tokens a row streams every layer's fused matrix, about 40 ms); until it is ready the
/// strip shows the previous row and the status says which row is coming. Bases are drawn when zoomed in far enough
/// to read them. Wheel zooms along the sequence, drag pans, click selects a token.

#include "common/BackgroundJob.h"
#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "interpret/Rollout.h"

#include <QFontMetricsF>
#include <QStringList>

#include <vector>

#include <QWidget>

#include <memory>

class QComboBox;
class QHBoxLayout;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace attn::widgets {

class SequenceStrips;

/// What the strips draw: one position per token, or, for k-mer models, one per base with
/// each k-mer token's value spread over its bases (interpret/KmerSpread.h).
struct TrackData {
    RowVector rollout;            ///< Rollout row at each position.
    RowVector head;               ///< Selected head's attention row at each position.
    QStringList labels;           ///< Token or base at each position.
    bool perBase = false;         ///< Positions are bases.
    std::vector<int> token;       ///< The token a click on each position selects.
    int highlightBegin = -1;      ///< Positions [begin, end) of the source token.
    int highlightEnd = -1;
    int count() const { return static_cast<int>(labels.size()); }
};

/// Rollout and head attention along the sequence, with rollout controls.
class SequenceTrackView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit SequenceTrackView(ExplorerState* state, QWidget* parent = nullptr);

    /// Current rollout options (from the controls).
    RolloutOptions rolloutOptions() const;
    /// Sets the controls (and recomputes).
    void setRolloutOptions(const RolloutOptions& options);
    /// The rollout row shown ([CLS] row when no token is selected, once computed).
    const RowVector& rollout() const { return rollout_; }
    /// True while the rollout row of the current token and options is being computed.
    bool rolloutPending() const { return chainJob_.isRunning() || rowJob_.isRunning(); }
    /// Blocks until the rollout row being computed is shown (figure export, tests).
    void finishRollout() const;
    /// The status text beside the controls (which row is shown or coming, or an error).
    QString status() const;
    /// The selected head's attention row shown.
    const RowVector& headRow() const { return headRow_; }
    /// The strips' names: 0 the roll-out ("rollout", or "alti rolled out"), 1 the layer's row ("L1 H2 attention", or "L1 alti").
    QString stripName(int strip) const;
    /// The query token the strips show (the selected token, or 0 for [CLS]).
    int sourceToken() const;
    /// The strips widget (for tests: positions of tokens).
    SequenceStrips* strips() const { return strips_; }
    /// What the strips show (per token, or per base for k-mer models).
    const TrackData& display() const { return display_; }

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;

private:
    QHBoxLayout* buildControls();
    void onRunChanged();
    void recompute();
    void recomputeRollout();
    void recomputeHead();
    void updateDisplay();
    void startRow();
    void onChainReady();
    void onRowReady();
    void onRolloutFailed(const QString& message);

    ExplorerState* state_;
    QComboBox* fusion_;
    QDoubleSpinBox* discard_;
    QSpinBox* start_;
    QLabel* status_;
    SequenceStrips* strips_;
    RowVector rollout_;
    RowVector headRow_;
    RowVector sourceRollout_; ///< A rolled-out decomposition's row (GlobEnc, ALTI) shown in place of rollout_; empty otherwise.
    // Two workers: one fuses the layers once per run and options (a token click never cancels
    // it), the other computes rows from them (a click cancels the previous row between layers).
    struct ChainRequest {
        std::shared_ptr<const RunResult> run;
        RolloutOptions options;
        std::shared_ptr<const RolloutChain> chain; ///< Set by the worker.
    };
    struct RowRequest {
        std::shared_ptr<const RunResult> run;
        std::shared_ptr<const RolloutChain> chain;
        Index token = 0;
        RowVector row; ///< Set by the worker.
    };
    std::shared_ptr<ChainRequest> chain_;      ///< The fused layers for the run and options shown, once ready.
    std::shared_ptr<ChainRequest> pendingChain_;
    std::shared_ptr<RowRequest> pendingRow_;
    mutable BackgroundJob chainJob_;
    mutable BackgroundJob rowJob_;
    TrackData display_;
};

/// The painted strips of a SequenceTrackView (zoom, pan, hover, click).
class SequenceStrips : public QWidget {
    Q_OBJECT
public:
    SequenceStrips(ExplorerState* state, const SequenceTrackView* track, QWidget* parent = nullptr);

    /// Visible position range [first, first + count) (tokens, or bases for k-mer models).
    qreal first() const { return first_; }
    qreal count() const { return count_; }
    /// Shows tokens [first, first + count) (clamped).
    void setVisibleTokens(qreal first, qreal count);
    /// Widget rectangle of position i.
    QRectF tokenRect(int i) const;
    /// Position (token or base) under a point, or -1.
    int tokenAt(const QPointF& pos) const;
    /// Hover readout text.
    const QString& readout() const { return readout_; }
    /// Paints both strips into a rectangle (screen and figures).
    void paintStrips(QPainter& painter, const QRectF& rect) const;
    QSize sizeHint() const override { return {800, 150}; }

signals:
    /// The hover readout changed ("28 A: rollout 0.0940, head 0.0123"; empty off the strips).
    void readoutChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    /// Where the shown positions fall in a figure of `rect`.
    struct Layout {
        QRectF plot;
        qreal w = 1;          ///< Width of one position.
        int i0 = 0, i1 = 0;   ///< Positions [i0, i1) are shown.
        bool showBases = false;
        qreal baseRow = 0;    ///< Height of the letters' row (0 when they do not fit).
        qreal stripHeight = 0;
    };
    QRectF plotArea(const QRectF& rect) const;
    Layout layout(const QFontMetricsF& fm, const QRectF& rect) const;
    void paintStrip(QPainter& painter, const QRectF& label, const QRectF& strip, const Layout& l, const RowVector& v,
                    const QString& name) const;
    void paintBars(QPainter& painter, const QRectF& strip, const Layout& l, const RowVector& v, double high) const;
    void paintPositions(QPainter& painter, const QFontMetricsF& fm, const Layout& l) const;

    ExplorerState* state_;
    const SequenceTrackView* track_;
    qreal first_ = 0;
    qreal count_ = 1;
    QString readout_;
    QPointF pressAt_;
    qreal pressFirst_ = 0;
    bool pressed_ = false;
};

} // namespace attn::widgets
