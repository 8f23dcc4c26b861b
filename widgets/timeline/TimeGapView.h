#pragma once
/// @file TimeGapView.h
/// Heads over time: for every head of the selected layer, the share of an event's attention that
/// goes to events |Δt| away, by gap bins on a log axis of days (core interpret/TimeGapProfile.h),
/// against what uniform attention would give (dashed), with each head's attention-weighted mean
/// gap in days and its share on earlier events. Heads
/// that look years back stand out from those that stay within days. A click on a line selects its
/// head.

#include "common/BackgroundJob.h"
#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "interpret/TimeGapProfile.h"

#include <QWidget>

namespace attn::widgets {

/// The heads-over-time plot.
class TimeGapView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit TimeGapView(ExplorerState* state, QWidget* parent = nullptr);

    /// The selected layer's profiles (empty before a run, when the layer was not kept, and
    /// while they are computed in the background).
    const std::vector<HeadTimeGap>& profiles() const { return profiles_; }
    /// Computes a layer's profiles (O(heads x T^2)) on a worker thread instead of at once: the
    /// window's view does, an export made from a run computes them at once.
    void setComputeInBackground(bool on) { background_ = on; }
    /// The worker of setComputeInBackground (tests wait on it).
    BackgroundJob& job() { return job_; }

    QSize figureSize() const override { return {860, 480}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {860, 480}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    /// One layer's profiles, made off the GUI thread.
    struct Profiles {
        int layer = -1;
        std::vector<HeadTimeGap> heads;
        std::vector<double> chance;
    };
    static void compute(const RunData& run, Profiles& out, const Progress* progress = nullptr);
    void showProfiles(Profiles profiles);
    void refresh();
    QRectF plotRect(const QSize& size) const;
    QPointF pointOf(const QRectF& plot, std::size_t bin, double share) const;
    void paintAxes(QPainter& p, const QRectF& plot) const;

    ExplorerState* state_;
    std::vector<HeadTimeGap> profiles_;
    std::vector<double> chance_; ///< Uniform attention's share per bin.
    int layer_ = -1;
    double maxShare_ = 1;
    bool background_ = false;
    bool computing_ = false;
    BackgroundJob job_;
    std::shared_ptr<Profiles> pending_;
};

} // namespace attn::widgets
