#include "model/RunMemory.h"

#include <algorithm>
#include <string>
#include <thread>

namespace attn {

void planEncoderRun(MemoryPlan& plan, const ModelConfig& c, Index length, const StorePlan& store)
{
    const int kept = store.layers.empty() ? c.nLayers : static_cast<int>(store.layers.size());
    const std::size_t storeBytes = AttentionStore::bytesNeeded(kept, c.nHeads, length, store.type);
    const std::string onDisk = " (" + std::to_string(AttentionStore::kLayersInMemoryOnDisk) + " layers in memory, the rest on disk)";
    plan.add("attention store" + (store.diskDirectory.empty() ? std::string() : onDisk),
             AttentionStore::memoryNeeded(kept, c.nHeads, length, store), AttentionStore::advice(storeBytes, kept, store.type));
    const auto n = static_cast<std::size_t>(length);
    const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t floats = n * (6 * static_cast<std::size_t>(c.dModel) + static_cast<std::size_t>((c.gatedFeedforward ? 3 : 1) * c.dimFeedforward))
        + n * static_cast<std::size_t>(c.dModel) + threads * 64 * n;
    plan.add("activations", floats * sizeof(float));
}

} // namespace attn
