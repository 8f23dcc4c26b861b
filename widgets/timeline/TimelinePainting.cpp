// How the timeline is drawn: lanes, the broken time axis, events and spans, the selected event's
// arcs and the list of what it attends to (TimelineView.h).

#include "timeline/TimelineView.h"

#include "ehr/EventTime.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr double kLeft = 130, kTop = 40, kBottom = 52;

constexpr double kListWidth = 360;  // the top-attended list right of the plot ...
constexpr double kListHeight = 230; // ... or below it, on a view narrower than kListBelowUnder
constexpr double kListBelowUnder = 900;

bool listBelow(const QSize& size)
{
    return size.width() < kListBelowUnder;
}

/// An event as a person reads it: its display name where the record gives one, else its code.
QString eventName(const Event& e)
{
    return QString::fromStdString(e.display.empty() ? e.code : e.display);
}

QColor laneColour(int row)
{
    static const QColor colours[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44), QColor(148, 103, 189),
                                     QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127)};
    return colours[static_cast<std::size_t>(row) % std::size(colours)];
}

QColor headColour(int head)
{
    static const QColor colours[] = {QColor(230, 85, 13), QColor(49, 130, 189), QColor(49, 163, 84), QColor(117, 107, 177),
                                     QColor(222, 45, 38), QColor(99, 99, 99), QColor(188, 189, 34), QColor(23, 190, 207)};
    return colours[static_cast<std::size_t>(head) % std::size(colours)];
}

/// Seconds of the first instant of "YYYY" or "YYYY-MM".
std::int64_t periodStart(const std::string& text)
{
    const auto t = parseFhirTime(text);
    return t ? t->time.seconds : 0;
}

QString gapText(double days)
{
    return days >= 730 ? QObject::tr("%1 years").arg(days / 365.25, 0, 'f', 1) : QObject::tr("%1 days").arg(days, 0, 'f', 0);
}

} // namespace

QRectF TimelineView::plotRect(const QSize& size) const
{
    if (listBelow(size))
        return {kLeft, kTop, std::max(50.0, size.width() - kLeft - 16), std::max(50.0, size.height() - kTop - kBottom - kListHeight)};
    return {kLeft, kTop, std::max(50.0, size.width() - kLeft - kListWidth), std::max(50.0, size.height() - kTop - kBottom)};
}

double TimelineView::toX(double day, const QRectF& plot) const
{
    return plot.left() + (scale_.toAxis(day) - view0_) / (view1_ - view0_) * plot.width();
}

QString TimelineView::dateText(double day) const
{
    if (anchor_)
        return tr("day %1").arg(std::round(day - dayOf(*anchor_)), 0, 'f', 0);
    return QString::fromStdString(formatUtc(origin_ + static_cast<std::int64_t>(std::llround(day * 86400.0))).substr(0, 10));
}

void TimelineView::paintFigure(QPainter& p, const QSize& size) const
{
    p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    const QRectF plot = plotRect(size);
    p.setPen(Qt::black);
    QString title = figureTitle();
    if (events_) {
        QStringList statics;
        for (const Event& e : *events_)
            if (e.isStatic())
                statics << QString::fromStdString(e.code);
        if (!statics.isEmpty())
            title += "   " + tr("static: %1").arg(statics.join(", "));
    }
    p.drawText(QRectF(8, 4, size.width() - 16, 18), Qt::AlignLeft | Qt::AlignVCenter, title);
    if (!events_ || laneNames_.empty()) {
        p.drawText(plot, Qt::AlignCenter, tr("Open a patient record to see its timeline."));
        return;
    }
    paintLanes(p, plot);
    p.save();
    p.setClipRect(plot.adjusted(0, -kTop + 22, 0, 0));
    paintArcs(p, plot);
    paintEvents(p, plot);
    p.restore();
    paintAxis(p, plot);
    paintAttendedList(p, listBelow(size) ? QRectF(16, plot.bottom() + kBottom, size.width() - 32, kListHeight - 8)
                                         : QRectF(plot.right() + 14, kTop, kListWidth - 20, plot.height() + kBottom - 10));
}

void TimelineView::paintLanes(QPainter& p, const QRectF& plot) const
{
    const double h = plot.height() / static_cast<double>(laneNames_.size());
    for (std::size_t i = 0; i < laneNames_.size(); ++i) {
        const QRectF lane(plot.left(), plot.top() + static_cast<double>(i) * h, plot.width(), h);
        p.fillRect(lane, i % 2 ? QColor(250, 250, 250) : QColor(242, 244, 247));
        p.setPen(laneColour(static_cast<int>(i)).darker(130));
        p.drawText(QRectF(4, lane.top(), kLeft - 10, h), Qt::AlignRight | Qt::AlignVCenter, laneNames_[i]);
    }
    // breaks: a shaded band and the length of the gap hidden in it
    for (const AxisBreak& b : scale_.breaks()) {
        const double x0 = plot.left() + (b.axisFrom - view0_) / (view1_ - view0_) * plot.width();
        const double x1 = plot.left() + (b.axisTo - view0_) / (view1_ - view0_) * plot.width();
        if (x1 < plot.left() || x0 > plot.right())
            continue;
        const QRectF band(std::max(x0, plot.left()), plot.top(), std::min(x1, plot.right()) - std::max(x0, plot.left()), plot.height());
        p.fillRect(band, QBrush(QColor(200, 200, 200), Qt::BDiagPattern));
        p.setPen(QColor(90, 90, 90));
        p.drawText(QRectF(x0 - 40, plot.bottom() + 30, x1 - x0 + 80, 16), Qt::AlignCenter, gapText(b.toDay - b.fromDay));
    }
}

double TimelineView::axisStep() const
{
    const double axisSpan = view1_ - view0_; // about the visible days outside breaks
    const double steps[] = {1, 7, 30.4375, 91.3125, 365.25, 730.5, 1826.25, 3652.5, 7305, 18262.5};
    for (const double s : steps)
        if (axisSpan / s <= 9)
            return s;
    return steps[std::size(steps) - 1];
}

std::vector<double> TimelineView::calendarTicks(double step, double day0, double day1) const
{
    std::vector<double> ticks;
    if (step >= 365) {
        const int years = static_cast<int>(std::round(step / 365.25));
        const int y0 = std::stoi(formatUtc(origin_ + static_cast<std::int64_t>(day0 * 86400)).substr(0, 4));
        const int y1 = std::stoi(formatUtc(origin_ + static_cast<std::int64_t>(day1 * 86400)).substr(0, 4));
        for (int y = y0 - y0 % years; y <= y1 + 1; y += years)
            ticks.push_back(daysBetween(origin_, periodStart(std::to_string(y))));
        return ticks;
    }
    const int months = static_cast<int>(std::round(step / 30.4375));
    const std::string first = formatUtc(origin_ + static_cast<std::int64_t>(day0 * 86400));
    int y = std::stoi(first.substr(0, 4)), m = std::stoi(first.substr(5, 2));
    for (int guard = 0; guard < 400; ++guard, m += months) {
        while (m > 12) {
            m -= 12;
            ++y;
        }
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d", y, m);
        const double d = daysBetween(origin_, periodStart(text));
        if (d > day1)
            break;
        ticks.push_back(d);
    }
    return ticks;
}

std::vector<double> TimelineView::axisTicks(double step) const
{
    const double day0 = scale_.toDay(view0_), day1 = scale_.toDay(view1_);
    std::vector<double> ticks;
    if (anchor_) { // days from day 0, in whole days or years
        const double a = dayOf(*anchor_), rounded = step >= 365 ? std::round(step / 365.25) * 365 : std::round(step);
        for (double d = std::ceil((day0 - a) / rounded) * rounded; a + d <= day1; d += rounded)
            ticks.push_back(a + d);
    } else if (step >= 30) {
        ticks = calendarTicks(step, day0, day1);
    } else {
        for (double d = std::ceil(day0 / step) * step; d <= day1; d += step)
            ticks.push_back(d);
    }
    return ticks;
}

void TimelineView::paintTicks(QPainter& p, const QRectF& plot, double step) const
{
    double lastX = -1e9;
    for (const double d : axisTicks(step)) {
        const double x = toX(d, plot);
        const bool inBreak = std::any_of(scale_.breaks().begin(), scale_.breaks().end(),
                                         [&](const AxisBreak& b) { return d > b.fromDay && d < b.toDay; });
        if (x < plot.left() || x > plot.right() || inBreak || x - lastX < 70)
            continue;
        lastX = x;
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        QString label = dateText(d);
        if (!anchor_ && step >= 365)
            label = label.left(4);
        else if (!anchor_ && step >= 30)
            label = label.left(7);
        p.drawText(QRectF(x - 45, plot.bottom() + 6, 90, 16), Qt::AlignCenter, label);
    }
}

void TimelineView::paintAxis(QPainter& p, const QRectF& plot) const
{
    p.setPen(Qt::black);
    p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()));
    paintTicks(p, plot, axisStep());
    for (const AxisBreak& b : scale_.breaks()) { // the broken axis: two slashes across the line
        const double x = plot.left() + ((b.axisFrom + b.axisTo) / 2 - view0_) / (view1_ - view0_) * plot.width();
        if (x < plot.left() || x > plot.right())
            continue;
        p.fillRect(QRectF(x - 5, plot.bottom() - 3, 10, 6), Qt::white);
        p.drawLine(QPointF(x - 6, plot.bottom() + 5), QPointF(x - 2, plot.bottom() - 5));
        p.drawLine(QPointF(x + 2, plot.bottom() + 5), QPointF(x + 6, plot.bottom() - 5));
    }
    if (!anchor_)
        return;
    const double x = toX(dayOf(*anchor_), plot);
    if (x >= plot.left() && x <= plot.right()) {
        p.setPen(QPen(QColor(60, 60, 60), 1, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.drawText(QRectF(x - 150, plot.top() - 16, 300, 14), Qt::AlignCenter, tr("day 0: %1").arg(eventName((*events_)[*anchor_])));
    }
}

void TimelineView::paintEvents(QPainter& p, const QRectF& plot) const
{
    const double h = plot.height() / static_cast<double>(laneNames_.size());
    for (std::size_t i = 0; i < events_->size(); ++i) {
        if (laneRow(i) < 0)
            continue;
        const Event& e = (*events_)[i];
        const double y = plot.top() + (laneRow(i) + 0.5) * h;
        const double x0 = toX(dayOf(i), plot), x1 = toX(endDayOf(i), plot);
        if (x1 < plot.left() - 8 || x0 > plot.right() + 8)
            continue;
        const QColor c = tokenOf(static_cast<std::size_t>(i)) >= 0 ? laneColour(laneRow(i)) : QColor(170, 170, 170);
        const bool span = e.end.has_value() || e.time->precision == TimePrecision::Year || e.time->precision == TimePrecision::Month;
        if (span && x1 - x0 > 3) { // a partial date, or an encounter with an end: its whole period
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(c.red(), c.green(), c.blue(), 90));
            p.drawRoundedRect(QRectF(x0, y - 4, x1 - x0, 8), 2, 2);
        }
        p.setPen(QPen(c.darker(140), 0.8));
        p.setBrush(tokenOf(i) >= 0 ? QBrush(c) : QBrush(Qt::white));
        p.drawEllipse(QPointF(x0, y), 3.4, 3.4);
    }
    if (const auto s = selectedEvent(); s && laneRow(*s) >= 0) {
        p.setPen(QPen(Qt::black, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(toX(dayOf(*s), plot), plot.top() + (laneRow(*s) + 0.5) * h), 7, 7);
    }
}

void TimelineView::paintArcs(QPainter& p, const QRectF& plot) const
{
    const auto s = selectedEvent();
    if (!s)
        return;
    const double h = plot.height() / static_cast<double>(laneNames_.size());
    const QPointF from(toX(dayOf(*s), plot), plot.top() + (laneRow(*s) + 0.5) * h);
    const auto arc = [&](const AttendedEvent& a, const QColor& colour, double maxWeight) {
        const QPointF to(toX(dayOf(a.event), plot), plot.top() + (laneRow(a.event) + 0.5) * h);
        const double lift = std::clamp(std::abs(to.x() - from.x()) * 0.35, 14.0, plot.height() * 0.95);
        QPainterPath path(from);
        path.quadTo(QPointF((from.x() + to.x()) / 2, std::min(from.y(), to.y()) - lift), to);
        QColor c = colour;
        c.setAlphaF(0.35 + 0.6 * a.weight / maxWeight);
        p.setPen(QPen(c, 0.6 + 9.0 * a.weight, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    };
    if (!allHeads_ || state_->sourceMaps()) { // a decomposition has its heads combined already
        const std::vector<AttendedEvent> top = attended(25);
        const double strongest = top.empty() ? 0.0 : top.front().weight;
        for (auto it = top.rbegin(); it != top.rend(); ++it) // strongest last, on top
            if (it->weight > 0 && it->weight >= 0.02 * strongest) // relative: ALTI's cross-event shares are ~0.004 on the demo
                arc(*it, headColour(state_->head()), std::max(strongest, 1e-9));
        return;
    }
    for (int head = 0; head < state_->run().heads(); ++head) { // each head its own colour and strongest arcs
        const std::vector<AttendedEvent> top = attendedFor(8, head);
        for (auto it = top.rbegin(); it != top.rend(); ++it)
            if (it->weight >= 0.01)
                arc(*it, headColour(head), std::max(top.front().weight, 1e-9));
    }
}

void TimelineView::paintAttendedList(QPainter& p, const QRectF& area) const
{
    p.setPen(Qt::black);
    const auto s = selectedEvent();
    const double line = 16;
    double y = area.top();
    const auto text = [&](const QString& t, bool bold = false) {
        QFont f = p.font();
        f.setBold(bold);
        p.setFont(f);
        p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(t, Qt::ElideRight, static_cast<int>(area.width())));
        y += line;
    };
    if (!s) {
        text(tr("Click an event to see what it attends to."));
        return;
    }
    const Event& e = (*events_)[*s];
    text(tr("Selected: %1").arg(eventName(e)), true);
    text(QString::fromStdString(formatUtc(e.time->seconds).substr(0, 10)) + (e.numeric ? tr("   value %1").arg(*e.numeric, 0, 'g', 6) : QString()));
    if (tokenOf(*s) < 0) {
        text(tr("Not a token of the run (left out or static)."));
        return;
    }
    y += 6;
    const QString who = state_->sourceMaps() ? tr("%1, layer %2 (heads combined)").arg(state_->sourceName()).arg(state_->layer())
                        : allHeads_      ? tr("layer %1, mean of its heads").arg(state_->layer())
                                         : tr("layer %1 head %2").arg(state_->layer()).arg(state_->head());
    text(tr("Top attended, %1").arg(who), true);
    text(tr("date          Δt (days)   weight   event"));
    for (const AttendedEvent& a : attended(12)) {
        if (y + line > area.bottom())
            break; // as many as there is room for
        const Event& k = (*events_)[a.event];
        text(QStringLiteral("%1  %2  %3  %4")
                 .arg(QString::fromStdString(formatUtc(k.time->seconds).substr(0, 10)))
                 .arg(a.days, 9, 'f', 0)
                 .arg(a.weight, 7, 'f', 3)
                 .arg(eventName(k)));
    }
}

} // namespace attn::widgets
