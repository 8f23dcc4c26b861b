#include "timeline/TimeGapView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

QColor headColour(int head, int heads)
{
    return QColor::fromHsvF(std::fmod(0.62 + static_cast<double>(head) / std::max(heads, 1), 1.0), 0.75, 0.8);
}

QString binLabel(std::size_t b)
{
    static const char* const labels[] = {"< 1 d", "1-7 d", "1-4 w", "1-3 mo", "3-12 mo", "1-3 y", "3-10 y", "> 10 y"};
    return labels[b];
}

} // namespace

TimeGapView::TimeGapView(ExplorerState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMinimumSize(440, 280);
    connect(&job_, &BackgroundJob::succeeded, this, [this] {
        if (pending_ && pending_->layer == layer_)
            showProfiles(std::move(*std::exchange(pending_, nullptr)));
    });
    connect(state_, &ExplorerState::runChanged, this, [this] {
        layer_ = -1;
        refresh();
    });
    connect(state_, &ExplorerState::headChanged, this, &TimeGapView::refresh);
    refresh();
}

void TimeGapView::compute(const RunData& run, Profiles& out, const Progress* progress)
{
    out.heads = run.axis.unit == "days" && run.result->attention.hasLayer(out.layer)
        ? timeGapProfile(run.result->attention, run.axis, out.layer, progress) : std::vector<HeadTimeGap>{};
    out.chance = out.heads.empty() ? std::vector<double>{} : uniformTimeGapShare(run.axis);
}

void TimeGapView::showProfiles(Profiles profiles)
{
    computing_ = false;
    profiles_ = std::move(profiles.heads);
    chance_ = std::move(profiles.chance);
    maxShare_ = 0.05;
    for (const double s : chance_)
        maxShare_ = std::max(maxShare_, s);
    for (const HeadTimeGap& p : profiles_)
        for (const double s : p.share)
            maxShare_ = std::max(maxShare_, s);
    update();
}

void TimeGapView::refresh()
{
    if (!state_->hasRun() || state_->layer() != layer_)
        pending_.reset(); // a result still coming is for what was shown before
    if (!state_->hasRun()) {
        job_.cancel();
        layer_ = -1;
        showProfiles({});
        return;
    }
    if (state_->layer() == layer_)
        return update();
    layer_ = state_->layer();
    Profiles now;
    now.layer = layer_;
    if (!background_) {
        compute(state_->run(), now);
        return showProfiles(std::move(now));
    }
    auto pending = std::make_shared<Profiles>(std::move(now));
    job_.cancel(); // a layer switched to before the last one's profiles came stops that work
    job_.start([run = state_->run(), pending](Progress& progress) { compute(run, *pending, &progress); });
    pending_ = pending;
    profiles_.clear();
    computing_ = true;
    update();
}

QRectF TimeGapView::plotRect(const QSize& size) const
{
    return {70, 40, std::max(100.0, size.width() - 70.0 - 250.0), std::max(100.0, size.height() - 40.0 - 60.0)};
}

QPointF TimeGapView::pointOf(const QRectF& plot, std::size_t bin, double share) const
{
    const double bins = static_cast<double>(timeGapEdges().size());
    return {plot.left() + (static_cast<double>(bin) + 0.5) / bins * plot.width(), plot.bottom() - share / maxShare_ * plot.height()};
}

void TimeGapView::paintFigure(QPainter& p, const QSize& size) const
{
    p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    p.setPen(Qt::black);
    p.drawText(QRectF(8, 6, size.width() - 16, 20), Qt::AlignLeft | Qt::AlignVCenter, figureTitle());
    const QRectF plot = plotRect(size);
    if (profiles_.empty()) {
        const QString why = computing_ ? tr("Computing heads over time for layer %1…").arg(layer_)
            : state_->hasRun()         ? tr("This view needs a run on a patient record with the layer's attention kept.")
                                       : tr("Run a model on a patient record.");
        p.drawText(plot, Qt::AlignCenter, why);
        return;
    }
    paintAxes(p, plot);
    const std::size_t bins = timeGapEdges().size();
    const int heads = static_cast<int>(profiles_.size());
    double legendY = plot.top() + 20;
    for (int h = 0; h < heads; ++h) {
        const HeadTimeGap& g = profiles_[static_cast<std::size_t>(h)];
        const bool selected = h == state_->head();
        QPainterPath path(pointOf(plot, 0, g.share[0]));
        for (std::size_t b = 1; b < bins; ++b)
            path.lineTo(pointOf(plot, b, g.share[b]));
        p.setPen(QPen(headColour(h, heads), selected ? 3.2 : 1.4));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        for (std::size_t b = 0; b < bins; ++b)
            p.drawEllipse(pointOf(plot, b, g.share[b]), selected ? 3.0 : 2.0, selected ? 3.0 : 2.0);
        QFont f = p.font();
        f.setBold(selected);
        p.setFont(f);
        p.drawText(QRectF(plot.right() + 14, legendY, 236, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("head %1: mean %2 d, %3% earlier").arg(h).arg(g.meanDays, 0, 'f', 0).arg(100.0 * g.backShare, 0, 'f', 0));
        legendY += 18;
    }
    QFont f = p.font();
    f.setBold(false);
    p.setFont(f);
    QPainterPath uniform(pointOf(plot, 0, chance_[0])); // on top: heads that attend as uniformly as chance hide behind it
    for (std::size_t b = 1; b < bins; ++b)
        uniform.lineTo(pointOf(plot, b, chance_[b]));
    p.setPen(QPen(Qt::black, 1.6, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawPath(uniform);
    p.drawText(QRectF(plot.right() + 14, plot.top(), 236, 16), Qt::AlignLeft | Qt::AlignVCenter, tr("- - uniform attention (chance)"));
}

void TimeGapView::paintAxes(QPainter& p, const QRectF& plot) const
{
    p.drawRect(plot);
    const std::size_t bins = timeGapEdges().size();
    for (std::size_t b = 0; b < bins; ++b) {
        const double x = pointOf(plot, b, 0).x();
        p.setPen(QColor(225, 225, 225));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(Qt::black);
        p.drawText(QRectF(x - 40, plot.bottom() + 4, 80, 16), Qt::AlignCenter, binLabel(b));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + 22, plot.width(), 16), Qt::AlignCenter,
               tr("time gap |Δt| between the query event and the key event (log scale of days)"));
    for (int i = 0; i <= 4; ++i) {
        const double share = maxShare_ * i / 4.0, y = plot.bottom() - share / maxShare_ * plot.height();
        p.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y));
        p.drawText(QRectF(0, y - 8, plot.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter, QString::number(share, 'f', 2));
    }
    p.save();
    p.translate(14, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 16), Qt::AlignCenter, tr("share of the event's attention"));
    p.restore();
}

void TimeGapView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintFigure(painter, size());
}

void TimeGapView::mousePressEvent(QMouseEvent* event)
{
    const QRectF plot = plotRect(size());
    int best = -1;
    double bestDistance = 10;
    for (std::size_t h = 0; h < profiles_.size(); ++h)
        for (std::size_t b = 0; b < timeGapEdges().size(); ++b) {
            const QPointF d = pointOf(plot, b, profiles_[h].share[b]) - event->position();
            if (std::hypot(d.x(), d.y()) < bestDistance) {
                bestDistance = std::hypot(d.x(), d.y());
                best = static_cast<int>(h);
            }
        }
    if (best >= 0)
        state_->select(state_->layer(), best);
}

FigureData TimeGapView::figureData() const
{
    FigureData d;
    d.columns = {"layer", "head", "gap_from_days", "gap_to_days", "share", "uniform_share", "head_mean_gap_days", "head_share_earlier"};
    const auto& edges = timeGapEdges();
    d.array.shape = {static_cast<std::int64_t>(profiles_.size()), static_cast<std::int64_t>(edges.size())};
    for (std::size_t h = 0; h < profiles_.size(); ++h)
        for (std::size_t b = 0; b < edges.size(); ++b) {
            d.rows.push_back({QString::number(layer_), QString::number(h), QString::number(edges[b]),
                              b + 1 < edges.size() ? QString::number(edges[b + 1]) : QStringLiteral("inf"),
                              QString::number(profiles_[h].share[b], 'g', 7), QString::number(chance_[b], 'g', 7),
                              QString::number(profiles_[h].meanDays, 'g', 7),
                              QString::number(profiles_[h].backShare, 'g', 7)});
            d.array.data.push_back(static_cast<float>(profiles_[h].share[b]));
        }
    return d;
}

QString TimeGapView::figureTitle() const
{
    return state_->hasRun() ? tr("Heads over time, layer %1: %2").arg(std::max(layer_, 0)).arg(state_->run().name) : tr("Heads over time");
}

} // namespace attn::widgets
