#include "util/LargeBuffer.h"

#include "util/Error.h"
#include "util/MemoryPlan.h"
#include "util/SystemInfo.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
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

/// An unlinked file of `bytes` in `directory`, its blocks allocated; -1 never returned.
int temporaryFile(const std::string& directory, std::size_t bytes)
{
    int fd = open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) { // a file system without O_TMPFILE
        std::string name = directory + "/attnscope-store-XXXXXX";
        fd = mkostemp(name.data(), O_CLOEXEC);
        if (fd >= 0)
            unlink(name.c_str());
    }
    if (fd < 0)
        throw IoError(directory + ": cannot make a file for the attention store there (" + std::strerror(errno) + ")");
    const int error = posix_fallocate(fd, 0, static_cast<off_t>(bytes));
    if (error != 0) {
        close(fd);
        if (error == ENOSPC)
            throw ResourceError(directory + ": no room on that disk for the attention store's " + sizeText(bytes));
        throw IoError(directory + ": cannot reserve " + sizeText(bytes) + " for the attention store (" + std::strerror(error) + ")");
    }
    return fd;
}

} // namespace

void LargeBuffer::Free::operator()(void* p) const
{
    if (fd >= 0) {
        munmap(p, bytes);
        close(fd);
        return;
    }
    if (bytes >= kCachedSize)
        cache().give(p, bytes);
    else
        std::free(p);
}

LargeBuffer LargeBuffer::allocate(std::size_t bytes, bool& fresh)
{
    LargeBuffer b;
    fresh = false;
    if (bytes == 0)
        return b;
    const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    void* p = rounded >= kCachedSize ? cache().take(rounded) : nullptr;
    if (!p) {
        p = std::aligned_alloc(kAlignment, rounded);
        if (!p)
            throw std::bad_alloc();
        fresh = true;
    }
    b.size_ = bytes;
    b.data_ = std::unique_ptr<void, Free>(p, Free{rounded});
    return b;
}

LargeBuffer::LargeBuffer(std::size_t bytes)
    : LargeBuffer(std::move(many(1, bytes).front()))
{
}

std::vector<LargeBuffer> LargeBuffer::many(std::size_t count, std::size_t bytes)
{
    std::vector<LargeBuffer> blocks;
    std::vector<LargeBuffer*> fresh;
    blocks.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        bool isFresh = false;
        blocks.push_back(allocate(bytes, isFresh));
        if (isFresh)
            fresh.push_back(&blocks.back());
    }
    const auto n = static_cast<std::ptrdiff_t>(fresh.size());
#pragma omp parallel for schedule(dynamic)
    for (std::ptrdiff_t i = 0; i < n; ++i)
        attn::prefault(fresh[static_cast<std::size_t>(i)]->data(), fresh[static_cast<std::size_t>(i)]->data_.get_deleter().bytes);
    return blocks;
}

LargeBuffer LargeBuffer::onDisk(std::size_t bytes, const std::string& directory)
{
    LargeBuffer b;
    if (bytes == 0)
        return b;
    const int fd = temporaryFile(directory, bytes);
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        const int error = errno;
        close(fd);
        throw IoError(directory + ": cannot map the attention store's file (" + std::strerror(error) + ")");
    }
    b.size_ = bytes;
    b.data_ = std::unique_ptr<void, Free>(p, Free{bytes, fd});
    return b;
}

void LargeBuffer::startWriteBack()
{
    if (!isOnDisk())
        return;
    madvise(data(), size_, MADV_DONTNEED); // the pages leave this process; their dirty data stays in the page cache
    sync_file_range(data_.get_deleter().fd, 0, static_cast<off_t>(size_), SYNC_FILE_RANGE_WRITE);
}

void LargeBuffer::dropFromMemory()
{
    if (!isOnDisk())
        return;
    const int fd = data_.get_deleter().fd;
    sync_file_range(fd, 0, static_cast<off_t>(size_),
                    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    posix_fadvise(fd, 0, static_cast<off_t>(size_), POSIX_FADV_DONTNEED);
}

void LargeBuffer::prefault()
{
    if (isOnDisk())
        attn::prefault(data(), size_);
}

} // namespace attn
