#pragma once
/// @file TimelineView.h
/// A patient's events on a true time axis, in lanes by category (encounters, conditions,
/// medications, labs and vitals, procedures, immunizations). Long empty gaps are compressed
/// behind a marked break (dates stay true on the labels); partial dates and encounters with an
/// end are spans. Wheel zooms, drag pans, double-click resets. Hover names the event (code,
/// display, value and unit, date, time since the selected event); a click selects it, and the
/// selected event's attention is drawn as arcs to the events it attends to, for the selected head
/// or all heads of the layer, thickness by weight, with the top attended events listed beside.
/// Day 0 can be aligned on an event, e.g. the first anticoagulant, as LifeLines2 does.

#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "ehr/Event.h"
#include "ehr/TimelineScale.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace attn::widgets {

/// One attended event of the selected one.
struct AttendedEvent {
    std::size_t event = 0; ///< Index in the record's events.
    int token = 0;         ///< Its token.
    double weight = 0;     ///< The attention weight (mean over the layer's heads when all are shown).
    double days = 0;       ///< Its time minus the selected event's, in days.
};

/// The timeline.
class TimelineView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit TimelineView(ExplorerState* state, QWidget* parent = nullptr);

    /// The record shown, and per token of the run the index of its event (kNoEvent for [CLS]).
    void setRecord(std::shared_ptr<const std::vector<Event>> events, std::vector<std::size_t> tokenEvents);
    /// Day 0 at the first event of `code`; false (nothing changed) when there is none.
    bool alignOnCode(const std::string& code);
    /// Day 0 at the first anticoagulant (ehr/EventLanes.h); false (nothing changed) when there is none.
    bool alignOnFirstAnticoagulant();
    /// Day 0 at an event, or none (calendar dates) for nullopt.
    void alignOn(std::optional<std::size_t> event);
    /// The event day 0 is on, if aligned.
    std::optional<std::size_t> alignedOn() const { return anchor_; }
    /// Arcs for every head of the selected layer (true) or the selected head.
    void setAllHeads(bool all);
    /// Long empty gaps compressed (on by default).
    void setCompressGaps(bool compress);
    /// Shows the whole record.
    void resetZoom();
    /// Zooms by `factor` (> 1: in) around the axis position under widget x.
    void zoomAt(double x, double factor);

    /// The selected event (the selected token's, else one clicked that is not a token), if any.
    std::optional<std::size_t> selectedEvent() const;
    /// The selected event's top `k` attended events, strongest first (none when it is not a token).
    std::vector<AttendedEvent> attended(int k) const;
    /// The event under a widget position, if any.
    std::optional<std::size_t> eventAt(const QPointF& pos) const;
    /// What hovering over an event shows.
    QString describeEvent(std::size_t event) const;
    /// The scale (compressed or not).
    const TimelineScale& scale() const { return scale_; }
    /// Widget x of an event's start (for tests).
    double xOf(std::size_t event) const;

    QSize figureSize() const override { return {1240, 560}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {1240, 560}; }

signals:
    /// The selection or what is drawn changed.
    void changed();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void rebuildScale();
    /// The top k of one head (-1: the mean of the layer's heads).
    std::vector<AttendedEvent> attendedFor(int k, int head) const;
    double dayOf(std::size_t event) const;
    double endDayOf(std::size_t event) const;
    int tokenOf(std::size_t event) const;
    int laneRow(std::size_t event) const;
    QRectF plotRect(const QSize& size) const;
    double toX(double day, const QRectF& plot) const;
    void paintLanes(QPainter& p, const QRectF& plot) const;
    void paintAxis(QPainter& p, const QRectF& plot) const;
    double axisStep() const;                               ///< Days between ticks: about nine on the axis.
    std::vector<double> axisTicks(double step) const;      ///< Tick days: from day 0, by calendar, or by days.
    std::vector<double> calendarTicks(double step, double day0, double day1) const; ///< Years or months.
    void paintTicks(QPainter& p, const QRectF& plot, double step) const;
    void paintEvents(QPainter& p, const QRectF& plot) const;
    void paintArcs(QPainter& p, const QRectF& plot) const;
    void paintAttendedList(QPainter& p, const QRectF& area) const;
    QString dateText(double day) const;

    ExplorerState* state_;
    std::shared_ptr<const std::vector<Event>> events_;
    std::vector<std::size_t> tokenEvents_;
    std::vector<int> eventTokens_;      ///< Per event, its token or -1.
    std::vector<int> laneOfEvent_;      ///< Per event, its row among the lanes shown (-1: static).
    std::vector<QString> laneNames_;    ///< The lanes shown, top to bottom.
    std::int64_t origin_ = 0;           ///< Day 0 of the internal day numbers: the first timed event.
    TimelineScale scale_ = TimelineScale::linear(0, 1);
    bool compress_ = true;
    bool allHeads_ = false;
    std::optional<std::size_t> anchor_;
    std::optional<std::size_t> clicked_; ///< A clicked event that is not a token.
    double view0_ = 0, view1_ = 1;       ///< The visible axis range.
    std::optional<QPointF> dragFrom_;
    double dragView0_ = 0;
    bool dragged_ = false;
};

} // namespace attn::widgets
