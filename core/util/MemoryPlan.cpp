#include "util/MemoryPlan.h"

#include "util/Error.h"
#include "util/SystemInfo.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace attn {

std::string sizeText(std::size_t bytes)
{
    char buf[32];
    if (bytes >= 100000)
        std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    else if (bytes >= 1000)
        std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
    return buf;
}

std::size_t effectiveBudget(std::size_t budgetBytes)
{
    return budgetBytes ? budgetBytes : physicalMemoryBytes() / 2;
}

void MemoryPlan::add(const std::string& what, std::size_t bytes, const std::string& advice)
{
    const auto it = std::find_if(items_.begin(), items_.end(), [&](const MemoryItem& i) { return i.what == what; });
    if (it != items_.end())
        it->bytes += bytes;
    else
        items_.push_back({what, bytes, advice});
}

std::size_t MemoryPlan::total() const
{
    return std::accumulate(items_.begin(), items_.end(), std::size_t{0},
                           [](std::size_t sum, const MemoryItem& i) { return sum + i.bytes; });
}

std::string MemoryPlan::describe() const
{
    std::string out = sizeText(total());
    for (std::size_t i = 0; i < items_.size(); ++i)
        out += (i == 0 ? ": " : ", ") + items_[i].what + " " + sizeText(items_[i].bytes);
    return out;
}

void MemoryPlan::check(std::size_t budgetBytes) const
{
    const std::size_t budget = effectiveBudget(budgetBytes);
    if (budget == 0 || total() <= budget)
        return;
    const auto largest = std::max_element(items_.begin(), items_.end(),
                                          [](const MemoryItem& a, const MemoryItem& b) { return a.bytes < b.bytes; });
    const std::string advice = largest->advice.empty() ? std::string() : "; " + largest->advice;
    throw ResourceError(job_ + " would need " + describe() + "; the memory budget is " + sizeText(budget)
                        + (budgetBytes ? "" : " (half of this machine's memory)") + advice);
}

} // namespace attn
