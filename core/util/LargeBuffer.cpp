#include "util/LargeBuffer.h"

#include "util/SystemInfo.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace attn {

namespace {

constexpr std::size_t kAlignment = 64;                 // a cache line, and any SIMD width
constexpr std::size_t kCachedSize = std::size_t{2} << 20; // blocks glibc would give back at once
constexpr std::size_t kCachedBlocks = 64;

/// Blocks freed by recent runs, kept for the next run of the same size so that it does
/// not pay the kernel's page clearing again (glibc returns blocks this large to the
/// system at once). Bounded by count and by an eighth of physical memory.
class BlockCache {
public:
    void* take(std::size_t bytes)
    {
        const std::lock_guard lock(mutex_);
        for (auto it = blocks_.begin(); it != blocks_.end(); ++it)
            if (it->bytes == bytes) {
                void* p = it->data;
                total_ -= bytes;
                blocks_.erase(it);
                return p;
            }
        return nullptr;
    }
    void give(void* p, std::size_t bytes)
    {
        const std::lock_guard lock(mutex_);
        const std::size_t limit = physicalMemoryBytes() / 8;
        if (bytes > limit) {
            std::free(p);
            return;
        }
        blocks_.push_back({p, bytes});
        total_ += bytes;
        while (blocks_.size() > kCachedBlocks || total_ > limit) { // evict the oldest
            std::free(blocks_.front().data);
            total_ -= blocks_.front().bytes;
            blocks_.erase(blocks_.begin());
        }
    }

private:
    struct Block {
        void* data;
        std::size_t bytes;
    };
    std::mutex mutex_;
    std::vector<Block> blocks_;
    std::size_t total_ = 0;
};

BlockCache& cache()
{
    static BlockCache* instance = new BlockCache; // never destroyed: buffers may outlive static destruction
    return *instance;
}

/// Maps a fresh block's whole pages in one call (MADV_POPULATE_WRITE, Linux 5.14) rather than
/// one page fault per 4 KiB page as the kernel would when the attention is first written. Only
/// an optimisation: on an older kernel the call fails and the pages fault in as before.
void prefault(void* p, std::size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) / page * page;
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
#endif
}

} // namespace

void LargeBuffer::Free::operator()(void* p) const
{
    if (bytes >= kCachedSize)
        cache().give(p, bytes);
    else
        std::free(p);
}

LargeBuffer::LargeBuffer(std::size_t bytes)
    : size_(bytes)
{
    if (bytes == 0)
        return;
    const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    void* p = rounded >= kCachedSize ? cache().take(rounded) : nullptr;
    if (!p) {
        p = std::aligned_alloc(kAlignment, rounded);
        if (!p)
            throw std::bad_alloc();
        prefault(p, rounded);
    }
    data_ = std::unique_ptr<void, Free>(p, Free{rounded});
}

} // namespace attn
