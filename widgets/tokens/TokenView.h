#pragma once
/// @file TokenView.h
/// BertViz-style "head view": the tokens listed twice, queries on the left and keys on the
/// right ([CLS] first), joined by one line per weight a_ij of the selected head, its opacity
/// and width proportional to the weight (relative to the largest weight drawn, so diffuse
/// heads stay visible). Optionally every head of the selected layer at
/// once, each in its own colour (legend at the top). Hovering a token keeps only its lines;
/// clicking a query token selects it in the ExplorerState. Weights under 0.01 are not drawn;
/// long inputs get thin rows and every k-th label, so the view always fits its size.

#include "common/ExplorerState.h"
#include "common/FigureSource.h"

#include <QColor>
#include <QLineF>
#include <QList>
#include <QRectF>
#include <QWidget>

#include <utility>
#include <vector>

class QFontMetricsF;

namespace attn::widgets {

/// Lines between query and key tokens of one head (or all heads of a layer).
class TokenView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    /// Weights below this are not drawn.
    static constexpr float kMinWeight = 0.01f;

    explicit TokenView(ExplorerState* state, QWidget* parent = nullptr);
    /// Follows another state (the window shows another kind's input): draws its run and selection.
    void setState(ExplorerState* state);

    /// Draws every head of the selected layer, each in headColour(head), instead of the
    /// selected head only.
    void setAllHeads(bool on);
    /// True when every head of the selected layer is drawn.
    bool allHeads() const { return allHeads_; }

    /// The hovered token, or -1 for none.
    int hoveredToken() const { return hovered_; }
    /// True when the hovered token is in the key (right) column.
    bool hoveredIsKey() const { return hoveredIsKey_; }
    /// Hovers a token as the mouse does (index -1 for none): only its lines are drawn, the
    /// row of a query token or the column of a key token.
    void setHoveredToken(int index, bool isKey);

    /// Widget-space rectangle of a token's row (left column: query, right column: key).
    QRectF tokenRect(int index, bool isKey) const;
    /// The token under a widget position as {index, isKey}; index -1 when there is none.
    std::pair<int, bool> tokenAt(const QPointF& pos) const;

    /// Number of lines drawn by the last paint (screen or figure).
    int drawnArcCount() const { return drawnArcs_; }
    /// Distinct (opaque) line colours of the last paint, one per head drawn.
    const QList<QColor>& drawnColours() const { return drawnColours_; }
    /// Heads drawn: the selected head, or every head of the layer in all-heads mode (none
    /// without a run).
    std::vector<int> drawnHeads() const;
    /// Colour of a head in the qualitative palette (matplotlib tab10, then golden-angle hues).
    static QColor headColour(int head);

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    /// CSV: one row per line drawn (weight >= kMinWeight, hovering ignored) with columns
    /// layer, head, query_index, query_token, key_index, key_token, weight. NPY: the full
    /// weights of the heads drawn, [heads drawn, L, L].
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {360, 520}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct Arc {
        int query;
        int key;
        float weight;
    };
    struct HeadArcs {
        int head;
        std::vector<Arc> arcs; // weights >= kMinWeight, by query then key
    };
    struct Layout {
        QRectF title, legend, queries, keys; // queries / keys: the whole columns
        qreal captionTop = 0;                // "query" and "key" above the columns
        qreal row = 1;                       // row height
        int labelStep = 1;                   // label every labelStep-th token
        qreal rowCentre(int i) const { return queries.top() + (i + 0.5) * row; }
    };

    bool showsLayer() const;
    void onRunChanged();
    void onHeadChanged();
    Layout layoutFor(const QSize& size, const QFontMetricsF& fm) const;
    std::vector<QRectF> legendItems(const QRectF& area, const QFontMetricsF& fm) const;
    void rebuildArcs();        ///< Marks the lines stale; they are found when next drawn or exported.
    void ensureArcs() const;   ///< Finds the lines (weights >= kMinWeight) if stale.
    bool shows(const Arc& arc) const;
    void paintInto(QPainter& painter, const QSize& size) const;
    void paintLegend(QPainter& painter, const Layout& l) const;
    void paintArcs(QPainter& painter, const Layout& l) const;
    void paintArcBins(QPainter& painter, const Layout& l, const std::vector<QList<QLineF>>& bins, const QColor& base, double fade,
                      bool emphasis) const;
    void paintColumn(QPainter& painter, const Layout& l, bool isKey) const;

    ExplorerState* state_ = nullptr;
    bool allHeads_ = false;
    int hovered_ = -1;
    bool hoveredIsKey_ = false;
    // Found lazily (ensureArcs), so a hidden token view does no work on a head switch.
    mutable std::vector<HeadArcs> arcs_;
    mutable int arcsLayer_ = -1;     // layer of arcs_
    mutable float maxWeight_ = 1.0f; // largest weight in arcs_
    mutable bool arcsStale_ = true;
    QString longestToken_;
    mutable int drawnArcs_ = 0;
    mutable QList<QColor> drawnColours_;
    mutable Matrix buffer_; ///< The head being scanned for arcs (kept: its memory is reused).
};

} // namespace attn::widgets
