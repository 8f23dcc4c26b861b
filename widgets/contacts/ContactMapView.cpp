#include "contacts/ContactMapView.h"

#include "common/ColourPainting.h"

#include <QMouseEvent>

#include <cmath>
#include <QPainter>
#include <QToolTip>

namespace attn::widgets {

ContactMapView::ContactMapView(ExplorerState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMouseTracking(true);
    connect(state_, &ExplorerState::headChanged, this, [this] {
        if (source_ == ContactSource::SelectedHead)
            refresh();
    });
    connect(state_, &ExplorerState::appearanceChanged, this, [this] { refresh(); });
    connect(state_, &ExplorerState::sourceChanged, this, [this] { refresh(); });
}

void ContactMapView::setSources(ContactSources sources)
{
    sources_ = std::move(sources);
    refresh();
}

void ContactMapView::setSource(ContactSource source)
{
    source_ = source;
    refresh();
}

QString ContactMapView::sourceName(ContactSource source) const
{
    switch (source) {
    case ContactSource::ContactHead: return sources_.contactHeadName;
    case ContactSource::SelectedHead:
        return state_->sourceMaps() ? tr("%1, layer %2 (heads combined)").arg(state_->sourceName()).arg(state_->layer())
                                    : tr("layer %1 head %2").arg(state_->layer()).arg(state_->head());
    case ContactSource::Baseline: return tr("MI-APC baseline");
    }
    return {};
}

void ContactMapView::refresh()
{
    const auto matrixOf = [this](ContactSource s) -> Matrix {
        switch (s) {
        case ContactSource::ContactHead: return sources_.contactHead;
        case ContactSource::SelectedHead:
            return sources_.headMap && state_->hasRun() ? sources_.headMap(state_->shownStore(), state_->layer(), state_->shownHead(state_->head())) : Matrix();
        case ContactSource::Baseline: return sources_.baseline;
        }
        return {};
    };
    predicted_ = matrixOf(source_);
    precision_.reset();
    const bool structure = sources_.truth.size() > 0;
    for (int s = 0; s < 3; ++s) {
        const Matrix m = static_cast<ContactSource>(s) == source_ ? predicted_ : matrixOf(static_cast<ContactSource>(s));
        longAtL_[static_cast<std::size_t>(s)].reset();
        if (structure && m.rows() == sources_.truth.rows() && m.size() > 0) {
            const ContactPrecision p = contactPrecision(m, sources_.truth);
            longAtL_[static_cast<std::size_t>(s)] = p.longAtL();
            if (static_cast<ContactSource>(s) == source_)
                precision_ = p;
        }
    }
    rankTopPairs();
    measureRange();
    drawImage();
    update();
}

void ContactMapView::rankTopPairs()
{
    top_.clear();
    for (int i = 0; i < predicted_.rows(); ++i)
        for (int j = i + 6; j < predicted_.cols(); ++j)
            if (sources_.truth.rows() != predicted_.rows() || sources_.truth(i, j) >= 0.0f) // pairs without coordinates are not ranked
                top_.emplace_back(i, j);
    const std::size_t k = std::min(top_.size(), static_cast<std::size_t>(predicted_.rows()));
    std::partial_sort(top_.begin(), top_.begin() + static_cast<std::ptrdiff_t>(k), top_.end(),
                      [this](const QPoint& a, const QPoint& b) { return predicted_(a.x(), a.y()) > predicted_(b.x(), b.y()); });
    top_.resize(k);
}

void ContactMapView::measureRange()
{
    double low = 0.0, high = 0.0, sum = 0.0, squares = 0.0, n = 0.0; // over the upper triangle, which is what is drawn
    for (Index i = 0; i < predicted_.rows(); ++i)
        for (Index j = i + 1; j < predicted_.cols(); ++j) {
            const double v = predicted_(i, j);
            low = n == 0.0 ? v : std::min(low, v);
            high = n == 0.0 ? v : std::max(high, v);
            sum += v;
            squares += v * v;
            n += 1.0;
        }
    range_ = ColourRange{low, high > low ? high : low + 1.0, ColourScale::Linear};
    flatNote_.clear();
    const double mean = n > 0.0 ? sum / n : 0.0, sd = n > 0.0 ? std::sqrt(std::max(0.0, squares / n - mean * mean)) : 0.0;
    if (n > 0.0 && high - low <= 1e-3 * std::max(std::abs(mean), 1e-12)) { // noise stretched over the colours would mislead
        flatNote_ = tr("the %1 scores every pair alike: %2 ± %3").arg(sourceName(source_)).arg(mean, 0, 'g', 4).arg(sd, 0, 'g', 1);
        range_ = ColourRange{mean - 1.0, mean + 1.0, ColourScale::Linear}; // one colour, the colormap's middle
    }
}

void ContactMapView::drawImage()
{
    image_ = {};
    const Index l = predicted_.rows() > 0 ? predicted_.rows() : sources_.truth.rows();
    if (l <= 0)
        return;
    image_ = QImage(static_cast<int>(l), static_cast<int>(l), QImage::Format_RGB32);
    image_.fill(Qt::white);
    for (Index i = 0; i < l; ++i)
        for (Index j = 0; j < l; ++j) {
            QRgb c = qRgb(255, 255, 255);
            if (j > i && predicted_.rows() == l)
                c = colourOf(state_->colormap(), range_, predicted_(i, j));
            else if (j < i && sources_.truth.rows() == l) {
                const float t = sources_.truth(i, j);
                c = t > 0.5f ? qRgb(20, 20, 20) : t < 0.0f ? qRgb(215, 215, 215) : qRgb(255, 255, 255);
            } else if (j == i)
                c = qRgb(160, 160, 160);
            image_.setPixel(static_cast<int>(j), static_cast<int>(i), c);
        }
}

QRectF ContactMapView::plotRect(const QSize& size) const
{
    const qreal top = 30, left = 50, right = 300, bottom = 40;
    const qreal side = std::max<qreal>(10, std::min(size.width() - left - right, size.height() - top - bottom));
    return {left, top, side, side};
}

void ContactMapView::paintPrecision(QPainter& painter, const QRectF& area) const
{
    QFont f = painter.font();
    f.setPixelSize(12);
    painter.setFont(f);
    painter.setPen(Qt::black);
    qreal y = area.top();
    const qreal line = 17;
    const auto text = [&](const QString& s, qreal x = 0, qreal w = 280) { // cut with an ellipsis, never mid-glyph
        const qreal width = std::min(w, area.width() - x);
        painter.drawText(QRectF(area.left() + x, y, width, line), Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(s, Qt::ElideRight, static_cast<int>(width)));
    };
    if (sources_.truth.size() == 0) {
        text(tr("Open a structure to measure precision"));
        return;
    }
    text(tr("Precision of the %1").arg(sourceName(source_)));
    y += line * 1.3;
    const QStringList heads{tr("range"), "P@L", "P@L/2", "P@L/5"};
    for (int c = 0; c < 4; ++c)
        text(heads[c], c == 0 ? 0 : 60 + (c - 1) * 62, 62);
    y += line;
    for (std::size_t r = 0; r < kContactRanges.size(); ++r) {
        text(QString::fromStdString(contactRangeName(kContactRanges[r])), 0, 60);
        for (std::size_t d = 0; d < 3; ++d)
            text(precision_ ? QString::number(precision_->at[r][d], 'f', 3) : QString("-"), 60 + static_cast<qreal>(d) * 62, 62);
        y += line;
    }
    y += line * 0.5;
    text(tr("Long range P@L of each predictor"));
    y += line;
    for (int s = 0; s < 3; ++s) {
        const auto& p = longAtL_[static_cast<std::size_t>(s)];
        text(sourceName(static_cast<ContactSource>(s)), 10, 180);
        text(p ? QString::number(*p, 'f', 3) : tr("none"), 190, 80);
        y += line;
    }
    y += line * 0.5;
    std::size_t counts[3]{};
    for (std::size_t r = 0; r < 3; ++r)
        counts[r] = countContacts(sources_.truth, kContactRanges[r]);
    text(tr("True contacts (Cb-Cb < 8 A, 6+ apart):"));
    y += line;
    text(tr("short %1, medium %2, long %3").arg(counts[0]).arg(counts[1]).arg(counts[2]), 10);
}

void ContactMapView::paintLegend(QPainter& painter, QRectF area) const
{
    QFont f = painter.font();
    f.setPixelSize(11);
    painter.setFont(f);
    const qreal line = 16;
    const auto entry = [&](const QString& label, auto&& symbol) {
        symbol(QRectF(area.left(), area.top() + 3, 10, 10));
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left() + 16, area.top(), area.width() - 16, line), Qt::AlignLeft | Qt::AlignVCenter, label);
        area.setTop(area.top() + line);
    };
    const auto ring = [&](QColor c) {
        return [&painter, c](const QRectF& r) {
            painter.setPen(QPen(c, 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(r);
        };
    };
    const auto cell = [&painter](QColor c) {
        return [&painter, c](const QRectF& r) { painter.fillRect(r, c); painter.setPen(QColor(120, 120, 120)); painter.drawRect(r); };
    };
    const QStringList labels = legendEntries();
    if (!hasTruth()) { // no structure: the rings are white, the lower triangle empty
        entry(labels[0], ring(QColor(150, 150, 150)));
        return;
    }
    entry(labels[0], ring(QColor(0, 170, 40)));
    entry(labels[1], ring(QColor(225, 30, 30)));
    entry(labels[2], cell(QColor(20, 20, 20)));
    entry(labels[3], cell(QColor(215, 215, 215)));
}

bool ContactMapView::hasTruth() const
{
    return sources_.truth.rows() > 0 && sources_.truth.rows() == image_.width();
}

QStringList ContactMapView::legendEntries() const
{
    if (!hasTruth())
        return {tr("white ring: one of the top %1 pairs").arg(top_.size())};
    return {tr("ring: one of the top %1 pairs, a contact").arg(top_.size()), tr("ring: one of them, not a contact"),
            tr("black: true contact (lower)"), tr("grey: no coordinates (lower)")};
}

void ContactMapView::paintRings(QPainter& painter, const QRectF& plot) const
{
    const qreal cell = plot.width() / image_.width();
    const bool truth = hasTruth();
    painter.save();
    painter.setClipRect(plot); // a ring at the edge stays inside the frame
    painter.setBrush(Qt::NoBrush);
    for (const QPoint& p : top_) {
        const bool contact = truth && sources_.truth(p.x(), p.y()) > 0.5f;
        painter.setPen(QPen(!truth ? QColor(255, 255, 255) : contact ? QColor(0, 170, 40) : QColor(225, 30, 30), std::max<qreal>(1.0, cell * 0.35)));
        const qreal r = std::max<qreal>(2.0, cell * 0.9);
        painter.drawEllipse(QPointF(plot.left() + (p.y() + 0.5) * cell, plot.top() + (p.x() + 0.5) * cell), r, r);
    }
    painter.restore();
}

void ContactMapView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    painter.setPen(Qt::black);
    if (image_.isNull()) {
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, tr("Run a protein model, or open a structure, to see contacts"));
        return;
    }
    const QRectF plot = plotRect(size);
    painter.drawText(QRectF(0, 4, plot.right() + 20, 22), Qt::AlignCenter,
                     (hasTruth() ? tr("Upper: %1   Lower: true contacts") : tr("Upper: %1   Lower: no structure open"))
                         .arg(predicted_.size() > 0 ? sourceName(source_) : tr("no predictor yet")));
    painter.drawImage(plot, image_);
    paintRings(painter, plot);
    painter.setPen(QColor(120, 120, 120));
    painter.drawRect(plot);
    const auto l = static_cast<int>(image_.width());
    QFont f = painter.font();
    f.setPixelSize(10);
    painter.setFont(f);
    const int step = l > 400 ? 100 : l > 150 ? 50 : l > 60 ? 20 : 10;
    for (int i = step; i <= l; i += step) {
        const qreal at = plot.left() + (i - 0.5) / l * plot.width();
        painter.drawText(QRectF(at - 20, plot.bottom() + 2, 40, 14), Qt::AlignCenter, QString::number(i));
        const qreal ay = plot.top() + (i - 0.5) / l * plot.height();
        painter.drawText(QRectF(0, ay - 7, plot.left() - 4, 14), Qt::AlignRight | Qt::AlignVCenter, QString::number(i));
    }
    painter.drawText(QRectF(plot.left(), plot.bottom() + 18, plot.width(), 16), Qt::AlignCenter, tr("query residue"));
    const QRectF side(plot.right() + 14, plot.top(), std::max<qreal>(120, size.width() - plot.right() - 20), plot.height());
    if (!flatNote_.isEmpty()) { // said on the plot, not stretched over the colours
        QFont note = painter.font();
        note.setPixelSize(12);
        painter.setFont(note);
        painter.setPen(Qt::black);
        const QRectF upper(plot.center().x() - plot.width() * 0.05, plot.top() + 6, plot.width() * 0.55, plot.height() * 0.3);
        painter.fillRect(upper, QColor(255, 255, 255, 225));
        painter.drawText(upper.adjusted(6, 4, -6, -4), Qt::AlignCenter | Qt::TextWordWrap, flatNote_);
    } else if (predicted_.size() > 0) {
        paintColourBar(painter, QRectF(side.left(), side.top(), 14, side.height() * 0.3), state_->colormap(), range_, tr("score"));
    }
    paintLegend(painter, QRectF(side.left(), side.top() + side.height() * 0.33, side.width(), 70));
    paintPrecision(painter, QRectF(side.left(), side.top() + side.height() * 0.33 + 70, side.width(), side.height() * 0.67 - 70));
}

void ContactMapView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintFigure(painter, size());
}

QPoint ContactMapView::pairAt(const QPointF& pos) const
{
    const QRectF plot = plotRect(size());
    if (image_.isNull() || !plot.contains(pos))
        return {-1, -1};
    const int l = image_.width();
    const int i = std::min(l - 1, static_cast<int>((pos.y() - plot.top()) / plot.height() * l));
    const int j = std::min(l - 1, static_cast<int>((pos.x() - plot.left()) / plot.width() * l));
    return {i, j};
}

QString ContactMapView::describePair(int i, int j) const
{
    const auto label = [this](int r) {
        const QString s = r < sources_.residueLabels.size() ? sources_.residueLabels[r] : QString();
        return s.isEmpty() ? tr("not in the structure") : s;
    };
    QString text = tr("%1 - %2 (query %3 - %4, %5 apart)").arg(label(i), label(j)).arg(i + 1).arg(j + 1).arg(std::abs(i - j));
    if (predicted_.size() > 0)
        text += tr("\n%1: %2").arg(sourceName(source_)).arg(predicted_(i, j), 0, 'g', 3);
    if (sources_.truth.size() > 0) {
        const float t = sources_.truth(i, j);
        text += "\n" + (t > 0.5f ? tr("contact") : t < 0.0f ? tr("no coordinates") : tr("no contact"));
    }
    return text;
}

void ContactMapView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint p = pairAt(event->position());
    if (p.x() < 0)
        return QToolTip::hideText();
    QToolTip::showText(event->globalPosition().toPoint(), describePair(p.x(), p.y()), this);
}

void ContactMapView::mousePressEvent(QMouseEvent* event)
{
    const QPoint p = pairAt(event->position());
    if (p.x() >= 0)
        emit pairClicked(p.x(), p.y());
}

FigureData ContactMapView::figureData() const
{
    FigureData d;
    d.columns = {"i", "j", "residue_i", "residue_j", "predicted", "true"};
    const Index l = predicted_.rows();
    const bool truth = sources_.truth.rows() == l && l > 0;
    for (Index i = 0; i < l; ++i)
        for (Index j = i + 1; j < l; ++j)
            d.rows.push_back({QString::number(i + 1), QString::number(j + 1),
                              i < sources_.residueLabels.size() ? sources_.residueLabels[static_cast<int>(i)] : QString(),
                              j < sources_.residueLabels.size() ? sources_.residueLabels[static_cast<int>(j)] : QString(),
                              QString::number(predicted_(i, j)), truth ? QString::number(sources_.truth(i, j)) : QString()});
    d.array.shape = {l, l};
    d.array.data.assign(predicted_.data(), predicted_.data() + predicted_.size());
    return d;
}

QString ContactMapView::figureTitle() const
{
    return tr("Contacts: %1 against the structure").arg(sourceName(source_));
}

} // namespace attn::widgets
