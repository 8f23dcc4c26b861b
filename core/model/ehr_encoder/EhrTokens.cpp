#include "model/ehr_encoder/EhrTokens.h"

#include "ehr/EventTime.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace attn {

int EhrConfig::idOf(const std::string& code) const
{
    const auto it = index_.find(code);
    return it == index_.end() ? kUnk : it->second;
}

void EhrConfig::indexCodes()
{
    index_.clear();
    for (std::size_t i = 0; i < codes.size(); ++i)
        index_.emplace(codes[i], static_cast<int>(i));
}

namespace {

/// The timed events' indices in time order, ties in the order given.
std::vector<std::size_t> timedInOrder(const std::vector<Event>& events)
{
    std::vector<std::size_t> order;
    order.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        if (!events[i].isStatic())
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return events[a].time->seconds < events[b].time->seconds; });
    return order;
}

void addToken(EhrTokens& t, int id, float time, float value, float has, std::size_t source)
{
    t.ids.push_back(id);
    t.time.push_back(time);
    t.value.push_back(value);
    t.hasValue.push_back(has);
    t.source.push_back(source);
}

} // namespace

EhrTokens tokenizeEvents(const EhrConfig& config, const std::vector<Event>& events)
{
    const std::vector<std::size_t> order = timedInOrder(events);
    EhrTokens t;
    t.timedEvents = order.size();
    t.dropped = order.size() > static_cast<std::size_t>(config.maxEvents) ? order.size() - static_cast<std::size_t>(config.maxEvents) : 0;
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(t.dropped);
    t.origin = first == order.end() ? 0 : events[*first].time->seconds;
    addToken(t, EhrConfig::kCls, 0.0f, 0.0f, 0.0f, EhrTokens::kNoEvent);
    for (auto it = first; it != order.end(); ++it) {
        const Event& e = events[*it];
        const int id = config.idOf(e.code);
        t.unknown += id == EhrConfig::kUnk ? 1 : 0;
        // As the reference: in double, then rounded to float32 once.
        const double days = daysBetween(t.origin, e.time->seconds);
        const auto stats = config.valueStats.find(e.code);
        const bool has = e.numeric.has_value() && stats != config.valueStats.end();
        const double z = has ? (*e.numeric - stats->second[0]) / stats->second[1] : 0.0;
        addToken(t, id, static_cast<float>(days / config.timeScaleDays), static_cast<float>(z), has ? 1.0f : 0.0f, *it);
    }
    return t;
}

std::string droppedEventsMessage(const EhrTokens& tokens, const EhrConfig& config)
{
    if (tokens.dropped == 0)
        return "";
    return "the record has " + std::to_string(tokens.timedEvents) + " timed events and the model takes at most "
        + std::to_string(config.maxEvents) + " (max_events): the " + std::to_string(config.maxEvents)
        + " most recent were kept, from " + formatUtc(tokens.origin) + "; the earliest " + std::to_string(tokens.dropped)
        + " were left out";
}

namespace {

std::string valueText(const Event& e)
{
    if (!e.numeric)
        return e.text;
    char number[32];
    std::snprintf(number, sizeof number, "%.9g", *e.numeric);
    return number;
}

} // namespace

TokenAxis ehrTokenAxis(const EhrTokens& tokens, const std::vector<Event>& events)
{
    TokenAxis axis;
    axis.unit = "days";
    axis.dimensions = 1;
    axis.labelColumn = "code";
    TokenColumn time{"time", {}, false, {}}, value{"value", {}, false, {}}, display{"display", {}, false, {}};
    for (const std::size_t s : tokens.source) {
        if (s == EhrTokens::kNoEvent) {
            axis.labels.push_back("[CLS]");
            axis.position.push_back({TokenAxis::kNone, 0.0, 0.0});
            time.text.emplace_back();
            value.text.emplace_back();
            display.text.emplace_back();
            continue;
        }
        const Event& e = events[s];
        axis.labels.push_back(e.code);
        axis.position.push_back({daysBetween(tokens.origin, e.time->seconds), 0.0, 0.0});
        time.text.push_back(formatUtc(e.time->seconds));
        value.text.push_back(valueText(e));
        display.text.push_back(e.display);
    }
    axis.columns = {std::move(time), std::move(value), std::move(display)};
    return axis;
}

} // namespace attn
