#include "ehr/Event.h"

#include "util/Error.h"

#include <algorithm>
#include <unordered_map>

namespace attn {

std::vector<std::string> EventTable::subjects() const
{
    std::vector<std::string> order;
    std::unordered_map<std::string, bool> seen;
    for (const Event& e : events)
        if (seen.emplace(e.subject, true).second)
            order.push_back(e.subject);
    return order;
}

EventTable EventTable::ofSubject(const std::string& subject, const std::string& file) const
{
    if (subject.empty())
        return *this;
    EventTable one{extraColumns, {}};
    std::copy_if(events.begin(), events.end(), std::back_inserter(one.events),
                 [&](const Event& e) { return e.subject == subject; });
    if (!one.events.empty())
        return one;
    const std::vector<std::string> all = subjects();
    std::string some;
    for (std::size_t i = 0; i < all.size() && i < 5; ++i)
        some += (i ? ", " : "") + all[i];
    throw FormatError(file + ": no subject '" + subject + "' (it has " + std::to_string(all.size()) + " subject"
                      + (all.size() == 1 ? "" : "s") + (all.empty() ? "" : ": " + some + (all.size() > 5 ? ", ..." : "")) + ")");
}

void sortEvents(EventTable& table)
{
    std::unordered_map<std::string, std::size_t> rank;
    for (const Event& e : table.events)
        rank.emplace(e.subject, rank.size());
    std::stable_sort(table.events.begin(), table.events.end(), [&](const Event& a, const Event& b) {
        const std::size_t ra = rank.at(a.subject), rb = rank.at(b.subject);
        if (ra != rb)
            return ra < rb;
        if (a.isStatic() || b.isStatic())
            return a.isStatic() && !b.isStatic();
        return a.time->seconds < b.time->seconds;
    });
}

} // namespace attn
