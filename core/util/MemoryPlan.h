#pragma once
/// @file MemoryPlan.h
/// What a whole job (a load, a run, an export) will hold at its peak, item by item, known
/// before it starts: the study and its decoding, the model's input, the convolution stem, the
/// encoder's activations, the attention store, the overlay. A job over its memory budget is
/// refused before anything is allocated, with what it needs and what for.

#include <cstddef>
#include <string>
#include <vector>

namespace attn {

/// One thing a job holds.
struct MemoryItem {
    std::string what;      ///< "attention store", "study (decoding)", ...
    std::size_t bytes = 0; ///< Its size.
    std::string advice;    ///< How to make it smaller, if there is a way ("use the float16 store").
};

/// A job's memory, item by item.
class MemoryPlan {
public:
    /// A plan for `job` ("the run", "loading the study"), for messages.
    explicit MemoryPlan(std::string job) : job_(std::move(job)) {}
    /// Adds an item (items of the same name are summed), with how to make it smaller if known.
    void add(const std::string& what, std::size_t bytes, const std::string& advice = {});
    /// The items, in the order first added.
    const std::vector<MemoryItem>& items() const { return items_; }
    /// Bytes in all.
    std::size_t total() const;
    /// "12.6 MB: attention store 8.4 MB, activations 2.1 MB, ..."
    std::string describe() const;
    /// Throws ResourceError when total() exceeds `budgetBytes` (0: half of physical memory),
    /// naming the job, what it needs in all and item by item, the budget, and the largest
    /// item's advice.
    void check(std::size_t budgetBytes) const;

private:
    std::string job_;
    std::vector<MemoryItem> items_;
};

/// A budget as it applies: `budgetBytes`, or half of physical memory when 0.
std::size_t effectiveBudget(std::size_t budgetBytes);

/// "12.6 MB" (from 0.1 MB), "4.2 kB" (from 1 kB), else "256 bytes".
std::string sizeText(std::size_t bytes);

} // namespace attn
