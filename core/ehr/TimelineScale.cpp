#include "ehr/TimelineScale.h"

#include <algorithm>

namespace attn {

TimelineScale TimelineScale::linear(double firstDay, double lastDay)
{
    if (!(lastDay > firstDay)) { // one instant, or none: a day either side
        firstDay -= 1.0;
        lastDay = firstDay + 2.0;
    }
    TimelineScale s;
    s.pieces_.push_back({firstDay, lastDay, firstDay, lastDay});
    return s;
}

TimelineScale TimelineScale::compressed(std::vector<std::array<double, 2>> extents, double minGapDays, double breakFraction)
{
    if (extents.empty())
        return linear(0.0, 0.0);
    for (auto& e : extents)
        if (e[1] < e[0])
            e[1] = e[0];
    std::sort(extents.begin(), extents.end());
    // The covered stretches (overlapping extents merged), and the gaps between them to compress.
    std::vector<std::array<double, 2>> covered{extents.front()};
    for (const auto& e : extents)
        if (e[0] <= covered.back()[1])
            covered.back()[1] = std::max(covered.back()[1], e[1]);
        else
            covered.push_back(e);
    double kept = covered.back()[1] - covered.front()[0];
    std::vector<std::size_t> gaps; // index i: the gap after covered[i]
    for (std::size_t i = 0; i + 1 < covered.size(); ++i)
        if (covered[i + 1][0] - covered[i][1] > minGapDays) {
            gaps.push_back(i);
            kept -= covered[i + 1][0] - covered[i][1];
        }
    if (gaps.empty())
        return linear(covered.front()[0], covered.back()[1]);
    const double width = std::max(1.0, breakFraction * std::max(kept, 1.0));
    TimelineScale s;
    double day = covered.front()[0], axis = day;
    for (const std::size_t i : gaps) {
        const double gapFrom = covered[i][1], gapTo = covered[i + 1][0];
        if (gapFrom > day)
            s.pieces_.push_back({day, gapFrom, axis, axis + (gapFrom - day)});
        axis += gapFrom - day;
        s.pieces_.push_back({gapFrom, gapTo, axis, axis + width});
        s.breaks_.push_back({gapFrom, gapTo, axis, axis + width});
        axis += width;
        day = gapTo;
    }
    const double last = std::max(covered.back()[1], day + 1e-9);
    s.pieces_.push_back({day, last, axis, axis + (last - day)});
    return s;
}

double TimelineScale::toAxis(double day) const
{
    if (day <= pieces_.front().day0)
        return pieces_.front().axis0 - (pieces_.front().day0 - day);
    if (day >= pieces_.back().day1)
        return pieces_.back().axis1 + (day - pieces_.back().day1);
    const auto it = std::lower_bound(pieces_.begin(), pieces_.end(), day, [](const Piece& p, double d) { return p.day1 < d; });
    const double span = it->day1 - it->day0;
    return span > 0 ? it->axis0 + (day - it->day0) / span * (it->axis1 - it->axis0) : it->axis0;
}

double TimelineScale::toDay(double axis) const
{
    if (axis <= pieces_.front().axis0)
        return pieces_.front().day0 - (pieces_.front().axis0 - axis);
    if (axis >= pieces_.back().axis1)
        return pieces_.back().day1 + (axis - pieces_.back().axis1);
    const auto it = std::lower_bound(pieces_.begin(), pieces_.end(), axis, [](const Piece& p, double a) { return p.axis1 < a; });
    const double span = it->axis1 - it->axis0;
    return span > 0 ? it->day0 + (axis - it->axis0) / span * (it->day1 - it->day0) : it->day0;
}

} // namespace attn
