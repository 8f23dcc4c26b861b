#pragma once
/// @file TimelineScale.h
/// The timeline's time axis: days mapped to axis units one to one, except that long empty gaps
/// (no event anywhere in them) are compressed to a short marked break, so that a record of ten
/// visits over thirty years is not mostly empty. The true days stay what labels and hover show.

#include <array>
#include <vector>

namespace attn {

/// A gap drawn compressed.
struct AxisBreak {
    double fromDay = 0, toDay = 0;   ///< The true gap, in days.
    double axisFrom = 0, axisTo = 0; ///< Where it sits on the axis.
};

/// A piecewise-linear map between days and axis units.
class TimelineScale {
public:
    /// A one-to-one scale over [firstDay, lastDay].
    static TimelineScale linear(double firstDay, double lastDay);
    /// The scale over events' extents ([start, end] in days, any order): gaps between them longer
    /// than `minGapDays` are compressed, each to `breakFraction` of the uncompressed rest.
    static TimelineScale compressed(std::vector<std::array<double, 2>> extents, double minGapDays, double breakFraction = 0.03);

    /// Axis units of a day (beyond the ends, one to one).
    double toAxis(double day) const;
    /// The day at an axis position (inside a break: interpolated across the gap).
    double toDay(double axis) const;
    /// The axis range.
    double axisFirst() const { return pieces_.front().axis0; }
    double axisLast() const { return pieces_.back().axis1; }
    /// The compressed gaps, in order.
    const std::vector<AxisBreak>& breaks() const { return breaks_; }

private:
    struct Piece {
        double day0, day1, axis0, axis1;
    };
    std::vector<Piece> pieces_; ///< Contiguous, in order.
    std::vector<AxisBreak> breaks_;
};

} // namespace attn
