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

#include <cstddef>
#include <memory>

namespace attn {

/// Owning pointer to uninitialised memory of a fixed size.
class LargeBuffer {
public:
    LargeBuffer() = default;
    /// Allocates `bytes` bytes; throws std::bad_alloc when that fails.
    explicit LargeBuffer(std::size_t bytes);
    /// Start of the memory.
    void* data() const { return data_.get(); }
    /// Size in bytes.
    std::size_t size() const { return size_; }

private:
    struct Free {
        std::size_t bytes; ///< Allocated (rounded) size.
        void operator()(void* p) const;
    };
    std::unique_ptr<void, Free> data_{nullptr, Free{0}};
    std::size_t size_ = 0;
};

} // namespace attn
