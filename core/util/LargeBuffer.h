#pragma once
/// @file LargeBuffer.h
/// An uninitialised, move-only block of memory for large arrays (the attention store).
/// Not zero-filled (every byte is written before it is read), aligned to 2 MiB and
/// advised for transparent huge pages, so that first touch costs one fault per 2 MiB
/// instead of one per 4 KiB.

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
        void operator()(void* p) const;
    };
    std::unique_ptr<void, Free> data_;
    std::size_t size_ = 0;
};

} // namespace attn
