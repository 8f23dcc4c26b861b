#pragma once
/// @file LargeBuffer.h
/// An uninitialised, move-only block of memory for large arrays (the attention store).
/// Not zero-filled (every byte is written before it is read) and 64-byte aligned. Freed
/// blocks of 2 MiB and more go to a small process-wide cache and are reused by the next
/// buffer of the same size (a re-run of the same input length), which then costs no
/// page faults at all; a fresh block has its pages mapped in one call (MADV_POPULATE_WRITE)
/// instead of a fault per page. (Transparent huge pages were tried and dropped: with the kernel's
/// default "defrag=madvise" a first run at L = 2048 took 0.4 to 1.6 s against a steady
/// 0.55 to 0.66 s without them.)
///
/// A block may instead live in an unlinked temporary file (`onDisk`): written through a shared
/// mapping, then written out and dropped from memory as a whole (`startWriteBack`, `dropFromMemory`);
/// touching it again reads it back from the file (clean page-cache pages then, which the kernel
/// reclaims under memory pressure without writing anything). The file is gone when the buffer is.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// Owning pointer to uninitialised memory of a fixed size.
class LargeBuffer {
public:
    LargeBuffer() = default;
    /// Allocates `bytes` bytes; throws std::bad_alloc when that fails.
    explicit LargeBuffer(std::size_t bytes);
    /// `count` blocks of `bytes` bytes (a store's layers): the fresh ones have their pages mapped
    /// by all threads at once (the kernel clears each page, about 1.5 s for 3.7 GiB on one core of
    /// a virtual machine here, 0.8 to 1.2 s on two).
    static std::vector<LargeBuffer> many(std::size_t count, std::size_t bytes);
    /// `bytes` bytes in a temporary file in `directory` (created and unlinked at once, its space
    /// reserved); throws IoError when the file cannot be made or mapped and ResourceError when the
    /// disk has no room, naming the directory.
    static LargeBuffer onDisk(std::size_t bytes, const std::string& directory);
    /// Start of the memory.
    void* data() const { return data_.get(); }
    /// Size in bytes.
    std::size_t size() const { return size_; }
    /// True for a block in a file.
    bool isOnDisk() const { return data_.get_deleter().fd >= 0; }
    /// On disk: unmaps the block's pages from this process and starts writing them to the file,
    /// without waiting. In memory: nothing.
    void startWriteBack();
    /// On disk: waits until the block is in the file and drops it from the page cache, so that it
    /// holds no memory until it is read again. In memory: nothing.
    void dropFromMemory();
    /// On disk: maps the block's pages now, in one call (before it is written). In memory: nothing
    /// (a fresh block was mapped when it was made).
    void prefault();

private:
    struct Free {
        std::size_t bytes; ///< Allocated (rounded) or mapped size.
        int fd = -1;       ///< The file of a block on disk.
        void operator()(void* p) const;
    };
    /// The block (from the cache, or fresh); `fresh` says which.
    static LargeBuffer allocate(std::size_t bytes, bool& fresh);

    std::unique_ptr<void, Free> data_{nullptr, Free{0}};
    std::size_t size_ = 0;
};

} // namespace attn
