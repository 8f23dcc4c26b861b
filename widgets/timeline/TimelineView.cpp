#include "timeline/TimelineView.h"

#include "ehr/EventLanes.h"
#include "ehr/EventTime.h"
#include "model/ehr_encoder/EhrTokens.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

/// Gaps with no event longer than this are compressed.
constexpr double kCompressAfterDays = 365.0;

} // namespace

TimelineView::TimelineView(ExplorerState* state, QWidget* parent) : QWidget(parent), state_(state)
{
    setMouseTracking(true);
    setMinimumSize(460, 280);
    const auto repaint = [this] {
        update();
        emit changed();
    };
    connect(state_, &ExplorerState::runChanged, this, repaint);
    connect(state_, &ExplorerState::headChanged, this, repaint);
    connect(state_, &ExplorerState::sourceChanged, this, repaint);
    connect(state_, &ExplorerState::tokenChanged, this, [this, repaint] {
        clicked_.reset();
        repaint();
    });
}

void TimelineView::setRecord(std::shared_ptr<const std::vector<Event>> events, std::vector<std::size_t> tokenEvents)
{
    events_ = std::move(events);
    tokenEvents_ = std::move(tokenEvents);
    const std::vector<Event>& ev = *events_;
    eventTokens_.assign(ev.size(), -1);
    for (std::size_t t = 0; t < tokenEvents_.size(); ++t)
        if (tokenEvents_[t] < ev.size())
            eventTokens_[tokenEvents_[t]] = static_cast<int>(t);
    // Lanes that have events, in the fixed order.
    std::vector<bool> used(eventLanes().size(), false);
    for (const Event& e : ev)
        if (!e.isStatic())
            used[static_cast<std::size_t>(laneOf(e))] = true;
    std::vector<int> row(eventLanes().size(), -1);
    laneNames_.clear();
    for (std::size_t l = 0; l < used.size(); ++l)
        if (used[l]) {
            row[l] = static_cast<int>(laneNames_.size());
            laneNames_.push_back(tr(laneName(eventLanes()[l])));
        }
    laneOfEvent_.clear();
    origin_ = 0;
    bool first = true;
    for (const Event& e : ev) {
        laneOfEvent_.push_back(e.isStatic() ? -1 : row[static_cast<std::size_t>(laneOf(e))]);
        if (!e.isStatic() && (first || e.time->seconds < origin_)) {
            origin_ = e.time->seconds;
            first = false;
        }
    }
    clicked_.reset();
    anchor_.reset();
    rebuildScale();
    resetZoom();
}

double TimelineView::dayOf(std::size_t event) const
{
    return daysBetween(origin_, (*events_)[event].time->seconds);
}

double TimelineView::endDayOf(std::size_t event) const
{
    const Event& e = (*events_)[event];
    std::int64_t end = e.time->periodEnd();
    if (e.end)
        end = std::max(end, e.end->seconds);
    return daysBetween(origin_, end);
}

int TimelineView::tokenOf(std::size_t event) const
{
    return event < eventTokens_.size() ? eventTokens_[event] : -1;
}

int TimelineView::laneRow(std::size_t event) const
{
    return laneOfEvent_[event];
}

void TimelineView::rebuildScale()
{
    std::vector<std::array<double, 2>> extents;
    if (events_)
        for (std::size_t i = 0; i < events_->size(); ++i)
            if (!(*events_)[i].isStatic())
                extents.push_back({dayOf(i), endDayOf(i)});
    scale_ = compress_ ? TimelineScale::compressed(extents, kCompressAfterDays)
                       : (extents.empty() ? TimelineScale::linear(0, 0)
                                          : TimelineScale::compressed(extents, std::numeric_limits<double>::infinity()));
}

void TimelineView::resetZoom()
{
    const double span = scale_.axisLast() - scale_.axisFirst();
    view0_ = scale_.axisFirst() - 0.02 * span;
    view1_ = scale_.axisLast() + 0.02 * span;
    update();
}

void TimelineView::zoomAt(double x, double factor)
{
    const QRectF plot = plotRect(size());
    const double a = view0_ + (x - plot.left()) / plot.width() * (view1_ - view0_);
    const double span = std::clamp((view1_ - view0_) / factor, 1.0 / 24.0, 4.0 * (scale_.axisLast() - scale_.axisFirst() + 1.0));
    const double f = (a - view0_) / (view1_ - view0_);
    view0_ = a - f * span;
    view1_ = view0_ + span;
    update();
}

bool TimelineView::alignOnCode(const std::string& code)
{
    if (!events_)
        return false;
    for (std::size_t i = 0; i < events_->size(); ++i)
        if (!(*events_)[i].isStatic() && (*events_)[i].code == code) {
            alignOn(i);
            return true;
        }
    return false;
}

bool TimelineView::alignOnFirstAnticoagulant()
{
    if (!events_)
        return false;
    const auto it = std::find_if(events_->begin(), events_->end(), [](const Event& e) { return !e.isStatic() && isAnticoagulant(e); });
    if (it == events_->end())
        return false;
    alignOn(static_cast<std::size_t>(it - events_->begin()));
    return true;
}

void TimelineView::alignOn(std::optional<std::size_t> event)
{
    anchor_ = event;
    update();
    emit changed();
}

void TimelineView::setAllHeads(bool all)
{
    allHeads_ = all;
    update();
    emit changed();
}

void TimelineView::setCompressGaps(bool compress)
{
    compress_ = compress;
    rebuildScale();
    resetZoom();
}

std::optional<std::size_t> TimelineView::selectedEvent() const
{
    if (clicked_)
        return clicked_;
    const int t = state_->token();
    if (events_ && state_->hasRun() && t >= 0 && t < static_cast<int>(tokenEvents_.size()) && tokenEvents_[static_cast<std::size_t>(t)] < events_->size())
        return tokenEvents_[static_cast<std::size_t>(t)];
    return std::nullopt;
}

std::vector<AttendedEvent> TimelineView::attended(int k) const
{
    return attendedFor(k, allHeads_ ? -1 : state_->head());
}

std::vector<AttendedEvent> TimelineView::attendedFor(int k, int head) const
{
    const auto selected = selectedEvent();
    if (!selected || !state_->hasRun() || tokenOf(*selected) < 0)
        return {};
    const AttentionStore& store = state_->shownStore(); // the run's attention or a decomposition of it
    const int layer = state_->layer();
    head = head < 0 ? head : state_->shownHead(head);
    if (!store.hasLayer(layer) || store.length() != static_cast<Index>(tokenEvents_.size()))
        return {};
    const Index q = tokenOf(*selected);
    RowVector w = RowVector::Zero(store.length());
    if (head < 0) {
        for (int h = 0; h < store.heads(); ++h)
            w += store.row(layer, h, q);
        w /= static_cast<float>(store.heads());
    } else {
        w = store.row(layer, head, q);
    }
    std::vector<AttendedEvent> out;
    for (Index key = 0; key < w.size(); ++key) {
        const std::size_t e = tokenEvents_[static_cast<std::size_t>(key)];
        if (key != q && e < events_->size())
            out.push_back({e, static_cast<int>(key), w[key], dayOf(e) - dayOf(*selected)});
    }
    const auto n = std::min<std::size_t>(out.size(), static_cast<std::size_t>(std::max(k, 0)));
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(),
                      [](const AttendedEvent& a, const AttendedEvent& b) { return a.weight > b.weight; });
    out.resize(n);
    return out;
}

std::optional<std::size_t> TimelineView::eventAt(const QPointF& pos) const
{
    if (!events_ || laneNames_.empty())
        return std::nullopt;
    const QRectF plot = plotRect(size());
    const double laneHeight = plot.height() / static_cast<double>(laneNames_.size());
    std::optional<std::size_t> best;
    double bestDistance = 7.0; // pixels
    for (std::size_t i = 0; i < events_->size(); ++i) {
        if (laneRow(i) < 0)
            continue;
        const double y = plot.top() + (laneRow(i) + 0.5) * laneHeight;
        if (std::abs(pos.y() - y) > laneHeight / 2)
            continue;
        const double x0 = toX(dayOf(i), plot), x1 = toX(endDayOf(i), plot);
        const double dx = pos.x() < x0 ? x0 - pos.x() : (pos.x() > x1 ? pos.x() - x1 : 0.0);
        if (dx < bestDistance) {
            bestDistance = dx;
            best = i;
        }
    }
    return best;
}

double TimelineView::xOf(std::size_t event) const
{
    return toX(dayOf(event), plotRect(size()));
}

QString TimelineView::describeEvent(std::size_t i) const
{
    const Event& e = (*events_)[i];
    QString text = "<b>" + QString::fromStdString(e.code).toHtmlEscaped() + "</b>";
    if (!e.display.empty())
        text += "<br>" + QString::fromStdString(e.display).toHtmlEscaped();
    if (e.numeric)
        text += "<br>" + tr("value %1 %2").arg(*e.numeric, 0, 'g', 6).arg(QString::fromStdString(e.unit).toHtmlEscaped());
    else if (!e.text.empty())
        text += "<br>" + QString::fromStdString(e.text).toHtmlEscaped();
    const std::string when = formatUtc(e.time->seconds);
    const std::size_t keep = e.time->precision == TimePrecision::Year ? 4 : e.time->precision == TimePrecision::Month ? 7
                           : e.time->precision == TimePrecision::Day ? 10 : 19;
    text += "<br>" + QString::fromStdString(when.substr(0, keep)) + (keep < 19 ? tr(" (%1 precision)").arg(precisionName(e.time->precision)) : "");
    if (e.end)
        text += tr(" to %1").arg(QString::fromStdString(formatUtc(e.end->seconds).substr(0, 10)));
    if (const auto s = selectedEvent(); s && *s != i)
        text += "<br>" + tr("%1 days from the selected event").arg(dayOf(i) - dayOf(*s), 0, 'f', 1);
    if (tokenOf(i) < 0)
        text += "<br><i>" + tr("not a token of the run") + "</i>";
    return text;
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintFigure(painter, size());
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    zoomAt(event->position().x(), std::pow(1.0015, event->angleDelta().y()));
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    dragFrom_ = event->position();
    dragView0_ = view0_;
    dragged_ = false;
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (dragFrom_ && (event->buttons() & Qt::LeftButton)) {
        const double dx = event->position().x() - dragFrom_->x();
        if (std::abs(dx) > 3)
            dragged_ = true;
        const double span = view1_ - view0_;
        view0_ = dragView0_ - dx / plotRect(size()).width() * span;
        view1_ = view0_ + span;
        update();
        return;
    }
    const auto e = eventAt(event->position());
    if (e)
        QToolTip::showText(event->globalPosition().toPoint(), describeEvent(*e), this);
    else
        QToolTip::hideText();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    const bool click = dragFrom_ && !dragged_;
    dragFrom_.reset();
    if (!click)
        return;
    const auto e = eventAt(event->position());
    if (!e)
        return;
    if (tokenOf(*e) >= 0) {
        clicked_.reset();
        state_->selectToken(tokenOf(*e));
    } else {
        clicked_ = e;
        update();
        emit changed();
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent*)
{
    resetZoom();
}

FigureData TimelineView::figureData() const
{
    FigureData d;
    d.columns = {"event", "token", "lane", "time", "code", "value", "days_from_selected", "weight"};
    const auto selected = selectedEvent();
    std::vector<double> weight(events_ ? events_->size() : 0, std::nan(""));
    for (const AttendedEvent& a : attended(std::numeric_limits<int>::max()))
        weight[a.event] = a.weight;
    for (std::size_t i = 0; events_ && i < events_->size(); ++i) {
        const Event& e = (*events_)[i];
        if (e.isStatic())
            continue;
        d.rows.push_back({QString::number(i), QString::number(tokenOf(i)), laneNames_[static_cast<std::size_t>(laneRow(i))],
                          QString::fromStdString(formatUtc(e.time->seconds)), QString::fromStdString(e.code),
                          e.numeric ? QString::number(*e.numeric, 'g', 9) : QString::fromStdString(e.text),
                          selected ? QString::number(dayOf(i) - dayOf(*selected), 'f', 4) : QString(),
                          std::isnan(weight[i]) ? QString() : QString::number(weight[i], 'g', 7)});
    }
    return d;
}

QString TimelineView::figureTitle() const
{
    return state_->hasRun() ? tr("Timeline of %1").arg(state_->run().name) : tr("Timeline");
}

} // namespace attn::widgets
