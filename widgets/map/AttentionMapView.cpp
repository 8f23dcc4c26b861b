#include "map/AttentionMapView.h"

#include "common/ColourPainting.h"
#include "common/HeadMenu.h"
#include "render/Downsample.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr qreal kMinLabelWidth = 64;  // room for token labels left of and below the plot, at least ...
constexpr qreal kMaxLabelWidth = 140; // ... and at most (longer labels are elided)
constexpr qreal kMargin = 8;
constexpr int kMaxVectorCells = 128 * 128;

} // namespace

AttentionMapView::AttentionMapView(ExplorerState* state, QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumSize(240, 200);
    setState(state);
}

void AttentionMapView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &AttentionMapView::onRunChanged);
    connect(state_, &ExplorerState::headChanged, this, [this] {
        rebuildImage();
        update();
    });
    connect(state_, &ExplorerState::appearanceChanged, this, [this] {
        rebuildImage();
        update();
    });
    connect(state_, &ExplorerState::sourceChanged, this, [this] {
        rebuildImage();
        update();
    });
    connect(state_, &ExplorerState::tokenChanged, this, qOverload<>(&QWidget::update));
    onRunChanged();
    update();
}

void AttentionMapView::onRunChanged()
{
    longestLabel_.clear();
    const QStringList& tokens = state_->run().tokens;
    for (int i = 0; i < tokens.size(); ++i)
        if (tokens[i].size() + QString::number(i).size() + 1 > longestLabel_.size())
            longestLabel_ = QString("%1 %2").arg(tokens[i]).arg(i);
    rebuildImage();
    resetZoom();
}

ColourRange AttentionMapView::range() const
{
    if (state_->comparing()) // differences: linear, symmetric about 0
        return {-std::max(1e-6, static_cast<double>(maxWeight_)), std::max(1e-6, static_cast<double>(maxWeight_)),
                ColourScale::Linear};
    return attentionRange(std::max(1e-6, static_cast<double>(maxWeight_)), state_->scale());
}

Colormap AttentionMapView::colormap() const
{
    if (state_->comparing() && !state_->colormap().diverging())
        return Colormap::byName("coolwarm"); // a difference needs a diverging map
    return state_->colormap();
}

void AttentionMapView::readRows(Index row0, Index rows, float* dst) const
{
    const AttentionStore& store = state_->shownStore();
    store.rowsInto(state_->layer(), state_->shownHead(state_->head()), row0, rows, dst);
    if (!state_->comparing())
        return;
    std::vector<float> other(static_cast<std::size_t>(rows * length_));
    store.rowsInto(state_->compareLayer(), state_->shownHead(state_->compareHead()), row0, rows, other.data());
    for (std::size_t i = 0; i < other.size(); ++i)
        dst[i] -= other[i];
}

float AttentionMapView::cellValue(Index query, Index key) const
{
    const AttentionStore& store = state_->shownStore();
    const float w = store.weight(state_->layer(), state_->shownHead(state_->head()), query, key);
    return state_->comparing() ? w - store.weight(state_->compareLayer(), state_->shownHead(state_->compareHead()), query, key) : w;
}

void AttentionMapView::rebuildImage()
{
    Matrix firstLevel = pooled_.size() > 1 ? std::move(pooled_[1]) : Matrix(); // its memory is reused
    pooled_.clear();
    images_.clear();
    crop_ = QImage();
    levelCount_ = 0;
    length_ = state_->hasRun() ? state_->run().result->attention.length() : 0;
    if (length_ == 0)
        return;
    for (Index n = length_; levelCount_ == 0 || n > 64; n = (n + 1) / 2)
        ++levelCount_;
    pooled_.resize(std::max<std::size_t>(levelCount_, 2));
    images_.resize(levelCount_);
    // The first halving is read from the store a few rows at a time and gives the colour range;
    // the head is never copied whole (at 4096 tokens that is 64 MB per head switch).
    halveRows(length_, length_, [this](Index r0, Index n, float* dst) { readRows(r0, n, dst); }, state_->comparing(),
              firstLevel, maxWeight_);
    pooled_[1] = std::move(firstLevel);
}

AttentionMapView::LevelImage AttentionMapView::levelImage(std::size_t level) const
{
    if (level == 0)
        return cropImage();
    if (images_[level].isNull()) {
        for (std::size_t k = 2; k <= level; ++k) // each level from the one below
            if (pooled_[k].size() == 0)
                pooled_[k] = state_->comparing() ? halveMaxMagnitude(pooled_[k - 1]) : halveMax(pooled_[k - 1]);
        images_[level] = heatmapImage(pooled_[level], colormap(), range());
    }
    const qreal n = static_cast<qreal>(length_);
    return {&images_[level], QRectF(0, 0, n, n)};
}

AttentionMapView::LevelImage AttentionMapView::cropImage() const
{
    const QRect visible = visibleCellRange();
    if (crop_.isNull() || !cropCells_.contains(visible)) { // the visible cells and a quarter of their size around them
        const int mx = visible.width() / 4, my = visible.height() / 4, n = static_cast<int>(length_);
        cropCells_ = QRect(QPoint(std::max(0, visible.left() - mx), std::max(0, visible.top() - my)),
                           QPoint(std::min(n - 1, visible.right() + mx), std::min(n - 1, visible.bottom() + my)));
        Matrix cells(cropCells_.height(), cropCells_.width());
        std::vector<float> row(static_cast<std::size_t>(length_));
        for (int q = 0; q < cropCells_.height(); ++q) {
            readRows(cropCells_.top() + q, 1, row.data());
            cells.row(q) = Eigen::Map<const RowVector>(row.data() + cropCells_.left(), cropCells_.width());
        }
        crop_ = heatmapImage(cells, colormap(), range());
    }
    return {&crop_, QRectF(cropCells_)};
}

QRect AttentionMapView::visibleCellRange() const
{
    const int k0 = static_cast<int>(std::floor(view_.left())), k1 = static_cast<int>(std::ceil(view_.right()));
    const int q0 = static_cast<int>(std::floor(view_.top())), q1 = static_cast<int>(std::ceil(view_.bottom()));
    const int n = static_cast<int>(length_);
    return QRect(QPoint(std::clamp(k0, 0, n - 1), std::clamp(q0, 0, n - 1)),
                 QPoint(std::clamp(k1 - 1, 0, n - 1), std::clamp(q1 - 1, 0, n - 1)));
}

void AttentionMapView::resetZoom()
{
    view_ = QRectF(0, 0, static_cast<qreal>(length_), static_cast<qreal>(length_));
    update();
}

void AttentionMapView::setVisibleCells(const QRectF& cells)
{
    const qreal n = static_cast<qreal>(length_);
    if (n == 0)
        return;
    const qreal w = std::clamp(cells.width(), std::min<qreal>(4, n), n);
    const qreal h = std::clamp(cells.height(), std::min<qreal>(4, n), n);
    const qreal x = std::clamp(cells.x(), 0.0, n - w);
    const qreal y = std::clamp(cells.y(), 0.0, n - h);
    view_ = QRectF(x, y, w, h);
    update();
}

AttentionMapView::Layout AttentionMapView::layoutFor(const QSize& size, const QFontMetricsF& fm) const
{
    Layout l;
    const qreal barWidth = 18 + 10 + fm.horizontalAdvance("0.0001") + kMargin;
    l.title = QRectF(kMargin, kMargin / 2, size.width() - 2 * kMargin, fm.height() * 2 + 4);
    const qreal top = l.title.bottom() + kMargin;
    l.labelWidth = std::clamp(fm.horizontalAdvance(longestLabel_) + 8, kMinLabelWidth, kMaxLabelWidth);
    const qreal side = std::max<qreal>(10, std::min(size.width() - l.labelWidth - barWidth - 2 * kMargin,
                                                    size.height() - top - l.labelWidth - kMargin));
    l.plot = QRectF(l.labelWidth + kMargin, top, side, side);
    l.bar = QRectF(l.plot.right() + 2 * kMargin, top, barWidth - kMargin, side);
    return l;
}

QPoint AttentionMapView::cellAt(const QPointF& pos) const
{
    const Layout l = layoutFor(size(), QFontMetricsF(font()));
    if (length_ == 0 || !l.plot.contains(pos))
        return {-1, -1};
    const qreal key = view_.x() + (pos.x() - l.plot.x()) / l.plot.width() * view_.width();
    const qreal query = view_.y() + (pos.y() - l.plot.y()) / l.plot.height() * view_.height();
    const int k = static_cast<int>(std::floor(key)), q = static_cast<int>(std::floor(query));
    if (k < 0 || q < 0 || k >= length_ || q >= length_)
        return {-1, -1};
    return {q, k};
}

QRectF AttentionMapView::cellRect(int query, int key) const
{
    const Layout l = layoutFor(size(), QFontMetricsF(font()));
    const qreal cw = l.plot.width() / view_.width(), ch = l.plot.height() / view_.height();
    return QRectF(l.plot.x() + (key - view_.x()) * cw, l.plot.y() + (query - view_.y()) * ch, cw, ch);
}

AttentionMapView::LevelImage AttentionMapView::levelFor(double cellsPerPixel) const
{
    std::size_t level = 0;
    while (level + 1 < levelCount_ && cellsPerPixel >= std::pow(2.0, static_cast<double>(level + 1)))
        ++level;
    return levelImage(level);
}

void AttentionMapView::paintCells(QPainter& painter, const QRectF& plot, bool vectorCells) const
{
    const QRectF v = view_;
    const int k0 = static_cast<int>(std::floor(v.left())), k1 = static_cast<int>(std::ceil(v.right()));
    const int q0 = static_cast<int>(std::floor(v.top())), q1 = static_cast<int>(std::ceil(v.bottom()));
    painter.save();
    painter.setClipRect(plot);
    if (vectorCells && (k1 - k0) * (q1 - q0) <= kMaxVectorCells) {
        const qreal cw = plot.width() / v.width(), ch = plot.height() / v.height();
        painter.setPen(Qt::NoPen);
        painter.setRenderHint(QPainter::Antialiasing, false); // no seams between abutting cells
        const Colormap map = colormap();
        const ColourRange r = range();
        for (int q = q0; q < q1; ++q)
            for (int k = k0; k < k1; ++k)
                painter.fillRect(QRectF(plot.x() + (k - v.x()) * cw, plot.y() + (q - v.y()) * ch, cw + 0.02, ch + 0.02),
                                 QColor::fromRgb(colourOf(map, r, cellValue(q, k))));
    } else {
        const LevelImage level = levelFor(v.width() / plot.width());
        const double fx = level.image->width() / level.cells.width(), fy = level.image->height() / level.cells.height();
        const QRectF source((v.x() - level.cells.x()) * fx, (v.y() - level.cells.y()) * fy, v.width() * fx, v.height() * fy);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(plot, *level.image, source);
    }
    const QPoint sel(-1, state_->token());
    if (sel.y() >= q0 && sel.y() < q1) { // outline the selected query row
        const qreal ch = plot.height() / v.height();
        painter.setPen(QPen(Qt::white, 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(plot.x(), plot.y() + (sel.y() - v.y()) * ch, plot.width(), ch));
    }
    painter.restore();
    painter.setPen(Qt::black);
    painter.drawRect(plot);
}

void AttentionMapView::paintAxes(QPainter& painter, const QRectF& plot, qreal labelWidth) const
{
    const QStringList& tokens = state_->run().tokens;
    const QFontMetricsF fm(painter.font());
    const auto label = [&](int i) {
        return fm.elidedText(QString("%1 %2").arg(tokens[i]).arg(i), Qt::ElideRight, labelWidth - 6);
    };
    // Every step-th token, so that labels never overlap.
    const auto visible = [&](qreal from, qreal to, qreal cell, auto draw) {
        const int step = std::max(1, static_cast<int>(std::ceil(fm.height() / cell)));
        const int first = static_cast<int>(std::ceil(from - 0.5));
        const int last = std::min(static_cast<int>(std::ceil(to)), static_cast<int>(tokens.size()));
        for (int i = (std::max(first, 0) + step - 1) / step * step; i < last; i += step)
            draw(i);
    };
    painter.setPen(Qt::black);
    const qreal ch = plot.height() / view_.height(), cw = plot.width() / view_.width();
    visible(view_.top(), view_.bottom(), ch, [&](int i) {
        const qreal y = plot.y() + (i + 0.5 - view_.y()) * ch;
        painter.drawText(QRectF(plot.x() - labelWidth, y - fm.height() / 2, labelWidth - 4, fm.height()),
                         Qt::AlignRight | Qt::AlignVCenter, label(i));
    });
    visible(view_.left(), view_.right(), cw, [&](int i) {
        painter.save();
        painter.translate(plot.x() + (i + 0.5 - view_.x()) * cw, plot.bottom() + 4);
        painter.rotate(90);
        painter.drawText(QRectF(0, -fm.height() / 2, labelWidth - 6, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         label(i));
        painter.restore();
    });
}

void AttentionMapView::paintInto(QPainter& painter, const QSize& size, bool vectorCells) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    const QFontMetricsF fm(painter.font());
    if (length_ == 0) {
        painter.setPen(Qt::gray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         "The selected head's attention map appears here after a run.");
        return;
    }
    const Layout l = layoutFor(size, fm);
    painter.setPen(Qt::black);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignTop, figureTitle());
    painter.restore();
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignBottom,
                     readout_.isEmpty() ? QString("rows: query, columns: key (%1 tokens)").arg(length_) : readout_);
    paintCells(painter, l.plot, vectorCells);
    paintAxes(painter, l.plot, l.labelWidth);
    paintColourBar(painter, l.bar, colormap(), range(),
                   state_->comparing() ? QStringLiteral("difference")
                                       : (state_->sourceMaps() ? state_->sourceName() : QStringLiteral("weight"))
                                             + (state_->scale() == ColourScale::Log ? " (log)" : ""));
}

void AttentionMapView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintInto(p, size(), false);
}

QSize AttentionMapView::figureSize() const
{
    return {640, 600};
}

void AttentionMapView::paintFigure(QPainter& painter, const QSize& size) const
{
    paintInto(painter, size, true);
}

QString AttentionMapView::figureTitle() const
{
    const RunData& run = state_->run();
    if (const SourceMaps* maps = state_->sourceMaps()) { // a decomposition: the layer's heads combined, and how well its parts add up
        QString title = QString("%1, layer %2").arg(state_->sourceName()).arg(state_->layer());
        if (state_->comparing())
            title += QString(" minus layer %1").arg(state_->compareLayer());
        const auto layer = static_cast<std::size_t>(state_->layer());
        if (layer < maps->reconstructionErrors.size())
            title += QString(" (heads combined; reconstruction error %1)").arg(maps->reconstructionErrors[layer], 0, 'g', 2);
        return titleFor(title, run.name);
    }
    QString title = QString("Layer %1, head %2").arg(state_->layer()).arg(state_->head());
    if (state_->comparing())
        title += QString(" minus layer %1, head %2").arg(state_->compareLayer()).arg(state_->compareHead());
    return titleFor(title, run.name);
}

FigureData AttentionMapView::figureData() const
{
    FigureData d;
    const QString value = state_->sourceMaps() ? state_->sourceName() : QStringLiteral("weight");
    d.columns = {"query_index", "query_token", "key_index", "key_token", state_->comparing() ? "difference" : value};
    const int k0 = static_cast<int>(std::floor(view_.left())), k1 = static_cast<int>(std::ceil(view_.right()));
    const int q0 = static_cast<int>(std::floor(view_.top())), q1 = static_cast<int>(std::ceil(view_.bottom()));
    if (length_ == 0)
        return d;
    const QStringList& tokens = state_->run().tokens;
    d.array.shape = {q1 - q0, k1 - k0};
    d.array.data.reserve(static_cast<std::size_t>((q1 - q0) * (k1 - k0)));
    std::vector<float> row(static_cast<std::size_t>(length_));
    for (int q = q0; q < q1; ++q) {
        readRows(q, 1, row.data());
        for (int k = k0; k < k1; ++k) {
            d.rows.push_back({QString::number(q), tokens[q], QString::number(k), tokens[k],
                              QString::number(row[static_cast<std::size_t>(k)], 'g', 9)});
            d.array.data.push_back(row[static_cast<std::size_t>(k)]);
        }
    }
    return d;
}

void AttentionMapView::updateReadout(const QPointF& pos)
{
    const QPoint cell = cellAt(pos);
    QString text;
    if (cell.x() >= 0) {
        const QStringList& t = state_->run().tokens;
        const float w = cellValue(cell.x(), cell.y());
        text = QString("query %1 (%2) -> key %3 (%4): %5")
                   .arg(cell.x()).arg(t[cell.x()]).arg(cell.y()).arg(t[cell.y()]).arg(static_cast<double>(w), 0, 'f', 6);
        emit hovered(cell.x(), cell.y(), w);
    } else if (!readout_.isEmpty()) {
        emit hovered(-1, -1, 0.0f);
    }
    if (text != readout_) {
        readout_ = text;
        setToolTip(text);
        update();
    }
}

void AttentionMapView::mouseMoveEvent(QMouseEvent* event)
{
    if (dragging_) {
        const Layout l = layoutFor(size(), QFontMetricsF(font()));
        const QPointF delta = event->position() - dragStart_;
        setVisibleCells(dragView_.translated(-delta.x() / l.plot.width() * dragView_.width(),
                                             -delta.y() / l.plot.height() * dragView_.height()));
    }
    updateReadout(event->position());
}

void AttentionMapView::contextMenuEvent(QContextMenuEvent* event)
{
    execHeadMenu(*state_, state_->layer(), state_->head(), event->globalPos(), this); // the map shows the selected head
}

void AttentionMapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    dragging_ = true;
    dragStart_ = event->position();
    dragView_ = view_;
}

void AttentionMapView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !dragging_)
        return;
    dragging_ = false;
    if ((event->position() - dragStart_).manhattanLength() < 3) { // a click, not a drag: select the query
        const QPoint cell = cellAt(event->position());
        if (cell.x() >= 0)
            state_->selectToken(cell.x());
    }
}

void AttentionMapView::mouseDoubleClickEvent(QMouseEvent*)
{
    resetZoom();
}

void AttentionMapView::wheelEvent(QWheelEvent* event)
{
    const Layout l = layoutFor(size(), QFontMetricsF(font()));
    if (length_ == 0 || !l.plot.contains(event->position()))
        return;
    const double factor = std::pow(0.8, event->angleDelta().y() / 120.0);
    const QPointF at = event->position() - l.plot.topLeft();
    const qreal fx = at.x() / l.plot.width(), fy = at.y() / l.plot.height();
    const qreal cx = view_.x() + fx * view_.width(), cy = view_.y() + fy * view_.height();
    const qreal w = view_.width() * factor, h = view_.height() * factor;
    setVisibleCells(QRectF(cx - fx * w, cy - fy * h, w, h));
    event->accept();
}

void AttentionMapView::leaveEvent(QEvent*)
{
    updateReadout(QPointF(-1, -1));
}

} // namespace attn::widgets
