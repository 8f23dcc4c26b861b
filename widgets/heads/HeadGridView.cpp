#include "heads/HeadGridView.h"

#include "common/ColourPainting.h"
#include "common/HeadMenu.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace attn::widgets {
namespace {

constexpr qreal kLabel = 28;    // room for layer / head labels
constexpr qreal kGap = 4;

} // namespace

HeadGridView::HeadGridView(ExplorerState* state, QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(160, 120);
    setState(state);
}

void HeadGridView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &ExplorerState::appearanceChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &ExplorerState::headChanged, this, qOverload<>(&QWidget::update));
    rebuild();
    update();
}

void HeadGridView::rebuild()
{
    thumbnails_.clear();
    if (!state_->hasRun()) {
        pooled_.clear();
        return;
    }
    const RunData& run = state_->run();
    pooled_ = run.thumbnails ? *run.thumbnails : headThumbnails(run.result->attention); // pooled with the run if it can
    for (const Matrix& m : pooled_) {
        // Each thumbnail on its own scale: the point is its shape (sharp or diffuse).
        const double high = m.size() > 0 ? std::max(1e-6f, m.maxCoeff()) : 1.0;
        thumbnails_.push_back(m.size() > 0 ? heatmapImage(m, state_->colormap(), attentionRange(high, state_->scale()))
                                           : QImage());
    }
}

HeadGridView::Grid HeadGridView::gridFor(const QSize& size) const
{
    const int layers = std::max(1, state_->run().layers()), heads = std::max(1, state_->run().heads());
    const qreal cell = std::max<qreal>(8, std::min((size.width() - kLabel - kGap) / heads,
                                                   (size.height() - kLabel - kGap) / layers));
    return {QRectF(kLabel, kLabel, cell * heads, cell * layers), cell};
}

QRectF HeadGridView::thumbnailRect(int layer, int head) const
{
    const Grid g = gridFor(size());
    return QRectF(g.area.x() + head * g.cell + kGap / 2, g.area.y() + layer * g.cell + kGap / 2, g.cell - kGap,
                  g.cell - kGap);
}

QPoint HeadGridView::headAt(const QPointF& pos) const
{
    const Grid g = gridFor(size());
    if (!state_->hasRun() || !g.area.contains(pos))
        return {-1, -1};
    return {static_cast<int>((pos.y() - g.area.y()) / g.cell), static_cast<int>((pos.x() - g.area.x()) / g.cell)};
}

void HeadGridView::paintInto(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    if (!state_->hasRun()) {
        painter.setPen(Qt::gray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         "Per-head attention maps of every layer appear here after a run.");
        return;
    }
    const Grid g = gridFor(size);
    const int layers = state_->run().layers(), heads = state_->run().heads();
    painter.setPen(Qt::black);
    for (int h = 0; h < heads; ++h)
        painter.drawText(QRectF(g.area.x() + h * g.cell, 0, g.cell, kLabel), Qt::AlignCenter, QString("H%1").arg(h));
    for (int l = 0; l < layers; ++l)
        painter.drawText(QRectF(0, g.area.y() + l * g.cell, kLabel - 2, g.cell), Qt::AlignCenter, QString("L%1").arg(l));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h) {
            const QRectF r(g.area.x() + h * g.cell + kGap / 2, g.area.y() + l * g.cell + kGap / 2, g.cell - kGap,
                           g.cell - kGap);
            const QImage& image = thumbnails_[static_cast<std::size_t>(l * heads + h)];
            if (image.isNull())
                painter.fillRect(r, QColor(230, 230, 230)); // layer not kept
            else
                painter.drawImage(r, image);
        }
    paintEditMarks(painter, g);
    const QRectF sel(g.area.x() + state_->head() * g.cell + 1, g.area.y() + state_->layer() * g.cell + 1, g.cell - 2,
                     g.cell - 2);
    painter.setPen(QPen(QColor(220, 30, 30), 2.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(sel);
}

void HeadGridView::paintEditMarks(QPainter& painter, const Grid& g) const
{
    for (const HeadEdit& e : state_->run().edits) {
        if (e.part != AttentionPart::Main)
            continue;
        const QRectF r(g.area.x() + e.head * g.cell + 1, g.area.y() + e.layer * g.cell + 1, g.cell - 2, g.cell - 2);
        painter.setPen(QPen(QColor(230, 120, 0), 2, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(r);
        const QString tag = editTags(*state_, e.layer, e.head);
        const QRectF label(r.x() + 2, r.y() + 2, painter.fontMetrics().horizontalAdvance(tag) + 6, painter.fontMetrics().height());
        painter.fillRect(label, QColor(230, 120, 0));
        painter.setPen(Qt::white);
        painter.drawText(label, Qt::AlignCenter, tag);
    }
}

void HeadGridView::contextMenuEvent(QContextMenuEvent* event)
{
    const QPoint at = headAt(event->pos());
    execHeadMenu(*state_, at.x(), at.y(), event->globalPos(), this);
}

void HeadGridView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintInto(p, size());
}

void HeadGridView::mousePressEvent(QMouseEvent* event)
{
    const QPoint at = headAt(event->position());
    if (at.x() >= 0 && at.x() < state_->run().layers() && at.y() < state_->run().heads())
        state_->select(at.x(), at.y());
    setFocus();
}

void HeadGridView::keyPressEvent(QKeyEvent* event)
{
    int layer = state_->layer(), head = state_->head();
    switch (event->key()) {
    case Qt::Key_Left: --head; break;
    case Qt::Key_Right: ++head; break;
    case Qt::Key_Up: --layer; break;
    case Qt::Key_Down: ++layer; break;
    default: QWidget::keyPressEvent(event); return;
    }
    state_->select(layer, head);
}

QSize HeadGridView::figureSize() const
{
    const int layers = std::max(1, state_->run().layers()), heads = std::max(1, state_->run().heads());
    const qreal cell = 80;
    return QSize(static_cast<int>(kLabel + heads * cell + kGap), static_cast<int>(kLabel + layers * cell + kGap));
}

void HeadGridView::paintFigure(QPainter& painter, const QSize& size) const
{
    paintInto(painter, size);
}

QString HeadGridView::figureTitle() const
{
    return titleFor("Attention of every head", state_->run().name);
}

FigureData HeadGridView::figureData() const
{
    FigureData d;
    d.columns = {"layer", "head", "query_cell", "key_cell", "max_weight"};
    if (!state_->hasRun())
        return d;
    const int layers = state_->run().layers(), heads = state_->run().heads();
    Index t = 0; // the pooled size (layers not kept have none)
    for (const Matrix& m : pooled_)
        t = std::max(t, m.rows());
    d.array.shape = {layers, heads, t, t};
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h) {
            const Matrix& m = pooled_[static_cast<std::size_t>(l * heads + h)];
            for (Index q = 0; q < t; ++q)
                for (Index k = 0; k < t; ++k) {
                    const float w = m.size() > 0 ? m(q, k) : 0.0f;
                    d.array.data.push_back(w);
                    d.rows.push_back({QString::number(l), QString::number(h), QString::number(q), QString::number(k),
                                      QString::number(w, 'g', 9)});
                }
        }
    return d;
}

} // namespace attn::widgets
