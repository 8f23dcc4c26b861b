#include "alignment/ColumnAttentionView.h"

#include "common/ColourPainting.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace attn::widgets {
namespace {

constexpr qreal plotBottomRoom = 80; ///< Below the plot: the key sequences' names.

} // namespace

ColumnAttentionView::ColumnAttentionView(ExplorerState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMouseTracking(true);
    connect(state_, &ExplorerState::headChanged, this, [this] { refresh(); });
    connect(state_, &ExplorerState::appearanceChanged, this, [this] { refresh(); });
}

void ColumnAttentionView::setStore(std::shared_ptr<const AttentionStore> store, int heads, Index tokens, QStringList names)
{
    store_ = std::move(store);
    heads_ = heads;
    tokens_ = tokens;
    names_ = std::move(names);
    if (token_ >= tokens_)
        token_ = -1;
    refresh();
}

void ColumnAttentionView::setToken(int token, const QString& label)
{
    token_ = token;
    label_ = label;
    refresh();
}

void ColumnAttentionView::refresh()
{
    shown_.resize(0, 0);
    image_ = {};
    if (store_ && token_ >= 0 && token_ < tokens_ && state_->layer() < store_->layers() && state_->head() < heads_) {
        const Index rows = store_->length();
        shown_.resize(rows, rows);
        store_->rowsInto(state_->layer(), static_cast<int>(state_->head() * tokens_ + token_), 0, rows, shown_.data());
        image_ = heatmapImage(shown_, state_->colormap(), ColourRange{0.0, std::max(1e-6, static_cast<double>(shown_.maxCoeff())), ColourScale::Linear});
    }
    QWidget::update();
}

QRectF ColumnAttentionView::plotRect(const QSize& size) const
{
    const qreal top = 44, left = 110, right = 90, bottom = plotBottomRoom;
    const qreal side = std::max<qreal>(10, std::min(size.width() - left - right, size.height() - top - bottom));
    return {left, top, side, side};
}

void ColumnAttentionView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    painter.setPen(Qt::black);
    if (shown_.size() == 0) {
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         store_ ? tr("Click a column of the alignment to see its column attention")
                                : tr("Column attention: an MSA Transformer run has it (ESM attends along one sequence)"));
        return;
    }
    const QFontMetricsF title(painter.font()); // two lines, each cut with an ellipsis rather than at the edges
    painter.drawText(QRectF(4, 4, size.width() - 8, 18), Qt::AlignCenter,
                     title.elidedText(tr("Column attention at %1, layer %2 head %3").arg(label_).arg(state_->layer()).arg(state_->head()),
                                      Qt::ElideRight, size.width() - 8));
    painter.drawText(QRectF(4, 22, size.width() - 8, 18), Qt::AlignCenter,
                     title.elidedText(tr("rows: query sequence, columns: key sequence"), Qt::ElideRight, size.width() - 8));
    const QRectF plot = plotRect(size);
    painter.drawImage(plot, image_);
    paintSequenceLabels(painter, plot);
    paintColourBar(painter, QRectF(plot.right() + 12, plot.top(), 16, plot.height()), state_->colormap(),
                   ColourRange{0.0, static_cast<double>(shown_.maxCoeff()), ColourScale::Linear}, tr("weight"));
}

void ColumnAttentionView::paintSequenceLabels(QPainter& painter, const QRectF& plot) const
{
    const Index n = shown_.rows();
    QFont f = painter.font();
    f.setPixelSize(10);
    painter.setFont(f);
    const QFontMetricsF fm(f);
    const qreal cell = plot.height() / static_cast<qreal>(n), line = fm.height() + 1;
    const int every = std::max(1, static_cast<int>(std::ceil(line / cell)));
    const auto name = [&](Index r, qreal room) { return fm.elidedText(names_[static_cast<int>(r)].section(' ', 0, 0), Qt::ElideRight, room); };
    for (Index r = 0; r < n && r < names_.size(); r += every) {
        const qreal centre = plot.top() + (r + 0.5) * cell; // rows on the left, columns below: both sequences named
        painter.drawText(QRectF(0, centre - line / 2, plot.left() - 4, line), Qt::AlignRight | Qt::AlignVCenter, name(r, plot.left() - 8));
        painter.save();
        painter.translate(plot.left() + (r + 0.5) * cell, plot.bottom() + 4);
        painter.rotate(-90);
        painter.drawText(QRectF(-(plotBottomRoom - 8), -line / 2, plotBottomRoom - 8, line), Qt::AlignRight | Qt::AlignVCenter,
                         name(r, plotBottomRoom - 8));
        painter.restore();
    }
}

void ColumnAttentionView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintFigure(painter, size());
}

void ColumnAttentionView::mouseMoveEvent(QMouseEvent* event)
{
    const QRectF plot = plotRect(size());
    if (shown_.size() == 0 || !plot.contains(event->position()))
        return QToolTip::hideText();
    const Index n = shown_.rows();
    const auto q = std::min<Index>(n - 1, static_cast<Index>((event->position().y() - plot.top()) / plot.height() * static_cast<double>(n)));
    const auto k = std::min<Index>(n - 1, static_cast<Index>((event->position().x() - plot.left()) / plot.width() * static_cast<double>(n)));
    const auto name = [&](Index i) { return i < names_.size() ? names_[static_cast<int>(i)].section(' ', 0, 0) : QString::number(i); };
    QToolTip::showText(event->globalPosition().toPoint(), tr("%1 -> %2: %3").arg(name(q), name(k)).arg(shown_(q, k), 0, 'g', 4), this);
}

FigureData ColumnAttentionView::figureData() const
{
    FigureData d;
    d.columns = {"query_sequence", "key_sequence", "weight"};
    const Index n = shown_.rows();
    for (Index q = 0; q < n; ++q)
        for (Index k = 0; k < n; ++k)
            d.rows.push_back({q < names_.size() ? names_[static_cast<int>(q)] : QString::number(q),
                              k < names_.size() ? names_[static_cast<int>(k)] : QString::number(k), QString::number(shown_(q, k))});
    d.array.shape = {n, n};
    d.array.data.assign(shown_.data(), shown_.data() + shown_.size());
    return d;
}

QString ColumnAttentionView::figureTitle() const
{
    return tr("Column attention at %1, layer %2 head %3").arg(label_).arg(state_->layer()).arg(state_->head());
}

} // namespace attn::widgets
