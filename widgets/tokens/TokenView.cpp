#include "tokens/TokenView.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace attn::widgets {
namespace {

constexpr qreal kMargin = 8;
constexpr qreal kMaxArcWidth = 300;   // horizontal room of the lines
constexpr qreal kMaxLabelWidth = 110; // labels longer than this are elided
constexpr int kBins = 20;             // lines are drawn in batches of similar weight

// The relative weight (to the largest drawn) a bin's lines are drawn with: its centre.
double binWeight(int bin)
{
    return (bin + 0.5) / kBins;
}

int binOf(float relativeWeight)
{
    return std::clamp(static_cast<int>(relativeWeight * kBins), 0, kBins - 1);
}

} // namespace

TokenView::TokenView(ExplorerState* state, QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(160, 120);
    setState(state);
}

void TokenView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &TokenView::onRunChanged);
    connect(state_, &ExplorerState::headChanged, this, &TokenView::onHeadChanged);
    connect(state_, &ExplorerState::tokenChanged, this, qOverload<>(&QWidget::update));
    connect(state_, &ExplorerState::sourceChanged, this, &TokenView::rebuildArcs);
    onRunChanged();
    update();
}

QColor TokenView::headColour(int head)
{
    static constexpr std::array<QRgb, 10> tab10{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
    if (head >= 0 && head < static_cast<int>(tab10.size()))
        return QColor::fromRgb(tab10[static_cast<std::size_t>(head)]);
    const double hue = std::fmod(head * 0.618033988749895, 1.0);
    return QColor::fromHsvF(static_cast<float>(hue), 0.75f, 0.8f);
}

bool TokenView::showsLayer() const
{
    return state_->hasRun() && state_->shownStore().hasLayer(state_->layer());
}

std::vector<int> TokenView::drawnHeads() const
{
    if (!state_->hasRun())
        return {};
    if (state_->sourceMaps()) // a decomposition: the layer's heads combined
        return {0};
    if (!allHeads_)
        return {state_->head()};
    std::vector<int> heads(static_cast<std::size_t>(state_->run().heads()));
    for (std::size_t h = 0; h < heads.size(); ++h)
        heads[h] = static_cast<int>(h);
    return heads;
}

void TokenView::onRunChanged()
{
    hovered_ = -1;
    hoveredIsKey_ = false;
    longestToken_.clear();
    for (const QString& t : state_->run().tokens)
        if (t.size() > longestToken_.size())
            longestToken_ = t;
    rebuildArcs();
}

void TokenView::onHeadChanged()
{
    if (!arcsStale_ && allHeads_ && arcsLayer_ == state_->layer()) { // same lines, only the selection moved
        update();
        return;
    }
    rebuildArcs();
}

void TokenView::setAllHeads(bool on)
{
    if (on == allHeads_)
        return;
    allHeads_ = on;
    rebuildArcs();
}

void TokenView::rebuildArcs()
{
    arcsStale_ = true;
    update();
}

void TokenView::ensureArcs() const
{
    if (!arcsStale_)
        return;
    arcsStale_ = false;
    arcs_.clear();
    arcsLayer_ = -1;
    maxWeight_ = kMinWeight;
    if (showsLayer()) {
        const AttentionStore& store = state_->shownStore();
        arcsLayer_ = state_->layer();
        for (int head : drawnHeads()) {
            store.headInto(arcsLayer_, head, buffer_);
            const Matrix& m = buffer_;
            HeadArcs h{head, {}};
            for (Index i = 0; i < m.rows(); ++i)
                for (Index j = 0; j < m.cols(); ++j)
                    if (m(i, j) >= kMinWeight)
                        h.arcs.push_back({static_cast<int>(i), static_cast<int>(j), m(i, j)});
            for (const Arc& a : h.arcs)
                maxWeight_ = std::max(maxWeight_, a.weight);
            arcs_.push_back(std::move(h));
        }
    }
}

void TokenView::setHoveredToken(int index, bool isKey)
{
    if (index < 0 || index >= state_->run().length()) {
        index = -1;
        isKey = false;
    }
    if (index == hovered_ && isKey == hoveredIsKey_)
        return;
    hovered_ = index;
    hoveredIsKey_ = isKey;
    update();
}

bool TokenView::shows(const Arc& arc) const
{
    if (hovered_ < 0)
        return true;
    return hoveredIsKey_ ? arc.key == hovered_ : arc.query == hovered_;
}

std::vector<QRectF> TokenView::legendItems(const QRectF& area, const QFontMetricsF& fm) const
{
    std::vector<QRectF> items;
    const qreal height = fm.height() + 2;
    qreal x = area.left(), y = area.top();
    for (int head = 0; head < state_->run().heads(); ++head) {
        const qreal width = 16 + fm.horizontalAdvance(QString("head %1").arg(head)) + 10;
        if (x > area.left() && x + width > area.right()) { // wrap
            x = area.left();
            y += height;
        }
        items.emplace_back(x, y, width, height);
        x += width;
    }
    return items;
}

TokenView::Layout TokenView::layoutFor(const QSize& size, const QFontMetricsF& fm) const
{
    Layout l;
    const qreal w = size.width(), h = size.height();
    l.title = QRectF(kMargin, kMargin / 2, w - 2 * kMargin, fm.height() + 2);
    l.legend = QRectF(kMargin, l.title.bottom() + 2, w - 2 * kMargin, 0);
    if (allHeads_) {
        const std::vector<QRectF> items = legendItems(l.legend, fm);
        if (!items.empty())
            l.legend.setBottom(items.back().bottom());
    }
    l.captionTop = l.legend.bottom() + 4;
    qreal top = l.captionTop + fm.height() + 2;
    const int n = std::max(1, state_->run().length());
    l.row = (h - top - kMargin) / n;
    if (l.row < fm.height()) { // rows thinner than a label: leave room for half a label at both ends
        l.row = (h - top - kMargin - fm.height()) / n;
        top += fm.height() / 2;
    }
    l.row = std::clamp<qreal>(l.row, 0.01, fm.height() + 4);
    l.labelStep = std::max(1, static_cast<int>(std::ceil(fm.height() / l.row)));
    const qreal maxLabel = std::max<qreal>(28, std::min(kMaxLabelWidth, w / 3));
    const QString widest = l.labelStep > 1 ? QString("%1 %2").arg(longestToken_).arg(n - 1) : longestToken_;
    const qreal label = std::clamp<qreal>(fm.horizontalAdvance(widest) + 10, 28, maxLabel);
    const qreal arcs = std::clamp<qreal>(w - 2 * kMargin - 2 * label, 20, kMaxArcWidth);
    const qreal x = std::max(kMargin, (w - 2 * label - arcs) / 2);
    l.queries = QRectF(x, top, label, l.row * n);
    l.keys = QRectF(x + label + arcs, top, label, l.row * n);
    return l;
}

QRectF TokenView::tokenRect(int index, bool isKey) const
{
    const Layout l = layoutFor(size(), QFontMetricsF(font()));
    const QRectF column = isKey ? l.keys : l.queries;
    return {column.left(), column.top() + index * l.row, column.width(), l.row};
}

std::pair<int, bool> TokenView::tokenAt(const QPointF& pos) const
{
    if (!showsLayer())
        return {-1, false};
    const Layout l = layoutFor(size(), QFontMetricsF(font()));
    for (const bool isKey : {false, true}) {
        const QRectF column = isKey ? l.keys : l.queries;
        if (column.contains(pos)) {
            const int i = static_cast<int>(std::floor((pos.y() - column.top()) / l.row));
            return {std::clamp(i, 0, state_->run().length() - 1), isKey};
        }
    }
    return {-1, false};
}

void TokenView::paintLegend(QPainter& painter, const Layout& l) const
{
    if (!allHeads_)
        return;
    const std::vector<QRectF> items = legendItems(l.legend, QFontMetricsF(painter.font()));
    for (std::size_t h = 0; h < items.size(); ++h) {
        const QRectF& item = items[h];
        painter.fillRect(QRectF(item.left(), item.center().y() - 5, 12, 10), headColour(static_cast<int>(h)));
        painter.setPen(Qt::black);
        painter.drawText(item.adjusted(16, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, QString("head %1").arg(h));
    }
}

void TokenView::paintArcs(QPainter& painter, const Layout& l) const
{
    ensureArcs();
    const qreal x0 = l.queries.right() + 4, x1 = l.keys.left() - 4;
    const double fade = std::clamp(l.row / 10.0, 0.15, 1.0); // dense lists: fainter lines
    const int selected = hovered_ < 0 ? state_->token() : -1; // its lines stand out, the others recede
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    for (const bool emphasis : {false, true}) {
        if (emphasis && selected < 0)
            break;
        for (const HeadArcs& h : arcs_) {
            std::vector<QList<QLineF>> bins(kBins);
            for (const Arc& a : h.arcs)
                if (shows(a) && (selected < 0 || (a.query == selected) == emphasis))
                    bins[static_cast<std::size_t>(binOf(a.weight / maxWeight_))].append(
                        QLineF(x0, l.rowCentre(a.query), x1, l.rowCentre(a.key)));
            paintArcBins(painter, l, bins, headColour(h.head), selected >= 0 && !emphasis ? 0.3 * fade : fade, emphasis);
        }
    }
    painter.restore();
}

void TokenView::paintArcBins(QPainter& painter, const Layout& l, const std::vector<QList<QLineF>>& bins, const QColor& base,
                             double fade, bool emphasis) const
{
    bool drawn = false;
    for (int b = 0; b < kBins; ++b) {
        const QList<QLineF>& lines = bins[static_cast<std::size_t>(b)];
        if (lines.isEmpty())
            continue;
        QColor c = base;
        c.setAlphaF(static_cast<float>(std::max(emphasis ? 0.35 : 0.06, binWeight(b) * fade)));
        const double width = std::min(0.5 + 2.5 * binWeight(b), std::max(0.5, l.row)) + (emphasis ? 1.0 : 0.0);
        painter.setPen(QPen(c, width, Qt::SolidLine, Qt::FlatCap));
        painter.drawLines(lines);
        drawnArcs_ += static_cast<int>(lines.size());
        drawn = true;
    }
    if (drawn && !drawnColours_.contains(base))
        drawnColours_.append(base);
}

void TokenView::paintColumn(QPainter& painter, const Layout& l, bool isKey) const
{
    const RunData& run = state_->run();
    const QRectF column = isKey ? l.keys : l.queries;
    const QFontMetricsF fm(painter.font());
    const int align = (isKey ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter;
    const int selected = isKey ? -1 : state_->token();
    const int hovered = hoveredIsKey_ == isKey ? hovered_ : -1;
    const qreal band = std::max<qreal>(l.row, fm.height());
    const auto label = [&](int i, const QColor& background) {
        const QRectF row(column.left(), l.rowCentre(i) - band / 2, column.width(), band);
        if (background.isValid())
            painter.fillRect(row, background);
        painter.setPen(run.isPadding(i) ? Qt::gray : Qt::black);
        const QRectF text = row.adjusted(3, 0, -3, 0);
        // Thinned labels carry their index, so that positions can be read.
        const QString name = l.labelStep > 1 ? QString("%1 %2").arg(run.tokens[i]).arg(i) : run.tokens[i];
        painter.drawText(text, align, fm.elidedText(name, Qt::ElideRight, text.width()));
    };
    const auto clear = [&](int i, int of) { return of < 0 || std::abs(l.rowCentre(i) - l.rowCentre(of)) >= band; };
    for (int i = 0; i < run.length(); i += l.labelStep)
        if (clear(i, selected) && clear(i, hovered)) // a label never drawn over the selected or hovered one
            label(i, QColor());
    if (selected >= 0) {
        label(selected, QColor(205, 225, 255));
        painter.setPen(QPen(QColor(30, 90, 200), 1.5));
        painter.drawRect(QRectF(column.left(), l.rowCentre(selected) - band / 2, column.width(), band));
    }
    if (hovered >= 0)
        label(hovered, QColor(255, 220, 120));
}

void TokenView::paintInto(QPainter& painter, const QSize& size) const
{
    drawnArcs_ = 0;
    drawnColours_.clear();
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    if (!showsLayer()) {
        const QString hint = state_->hasRun()
                                 ? QString("The attention of layer %1 was not kept in this run.").arg(state_->layer())
                                 : QString("The tokens and the selected head's attention lines appear here after a run.");
        painter.setPen(Qt::gray);
        painter.drawText(QRect(QPoint(0, 0), size).adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, hint);
        return;
    }
    const QFontMetricsF fm(painter.font());
    const Layout l = layoutFor(size, fm);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    painter.setPen(Qt::black);
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(bold).elidedText(figureTitle(), Qt::ElideRight, l.title.width()));
    painter.restore();
    paintLegend(painter, l);
    painter.setPen(Qt::gray);
    painter.drawText(QRectF(l.queries.left(), l.captionTop, l.queries.width(), fm.height()), Qt::AlignRight, "query");
    painter.drawText(QRectF(l.keys.left(), l.captionTop, l.keys.width(), fm.height()), Qt::AlignLeft, "key");
    paintArcs(painter, l);
    paintColumn(painter, l, false);
    paintColumn(painter, l, true);
}

void TokenView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintInto(p, size());
}

QSize TokenView::figureSize() const
{
    const QFontMetricsF fm(font());
    const int n = std::max(1, state_->run().length());
    const qreal header = 3 * fm.height() + 20 + (allHeads_ ? 2 * fm.height() : 0);
    return {420, static_cast<int>(std::clamp<qreal>(header + n * (fm.height() + 4), 240, 2400))};
}

void TokenView::paintFigure(QPainter& painter, const QSize& size) const
{
    paintInto(painter, size);
}

QString TokenView::figureTitle() const
{
    const RunData& run = state_->run();
    if (state_->sourceMaps())
        return titleFor(QString("%1, layer %2 (heads combined)").arg(state_->sourceName()).arg(state_->layer()), run.name);
    if (allHeads_)
        return titleFor(QString("Layer %1, all heads").arg(state_->layer()), run.name);
    return titleFor(QString("Layer %1, head %2").arg(state_->layer()).arg(state_->head()), run.name);
}

FigureData TokenView::figureData() const
{
    FigureData d;
    d.columns = {"layer", "head", "query_index", "query_token", "key_index", "key_token", state_->sourceMaps() ? state_->sourceName() : "weight"};
    if (!showsLayer())
        return d;
    ensureArcs();
    const RunData& run = state_->run();
    const AttentionStore& store = state_->shownStore();
    const std::vector<int> heads = drawnHeads();
    const std::int64_t n = store.length();
    d.array.shape = {static_cast<std::int64_t>(heads.size()), n, n};
    d.array.data.resize(static_cast<std::size_t>(d.array.numel()));
    for (std::size_t k = 0; k < heads.size(); ++k) {
        const Matrix m = store.head(state_->layer(), heads[k]);
        std::copy(m.data(), m.data() + m.size(), d.array.data.begin() + static_cast<std::ptrdiff_t>(k) * n * n);
    }
    const QString layer = QString::number(arcsLayer_);
    for (const HeadArcs& h : arcs_)
        for (const Arc& a : h.arcs)
            d.rows.push_back({layer, QString::number(h.head), QString::number(a.query), run.tokens[a.query],
                              QString::number(a.key), run.tokens[a.key], QString::number(a.weight, 'g', 9)});
    return d;
}

void TokenView::mouseMoveEvent(QMouseEvent* event)
{
    const auto [index, isKey] = tokenAt(event->position());
    setHoveredToken(index, isKey);
    setToolTip(index < 0 ? QString()
                         : QString("%1 %2: %3").arg(isKey ? "key" : "query").arg(index).arg(state_->run().tokens[index]));
}

void TokenView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const auto [index, isKey] = tokenAt(event->position());
    if (index >= 0 && !isKey)
        state_->selectToken(index);
}

void TokenView::leaveEvent(QEvent*)
{
    setHoveredToken(-1, false);
}

} // namespace attn::widgets
