#include "util/LargeBuffer.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace attn {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

void LargeBuffer::Free::operator()(void* p) const
{
    std::free(p);
}

LargeBuffer::LargeBuffer(std::size_t bytes)
    : size_(bytes)
{
    if (bytes == 0)
        return;
    const bool huge = bytes >= kHugePage;
    const std::size_t alignment = huge ? kHugePage : 64;
    const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;
    data_.reset(std::aligned_alloc(alignment, rounded));
    if (!data_)
        throw std::bad_alloc();
    if (huge)
        madvise(data_.get(), rounded, MADV_HUGEPAGE); // advice only: failure is harmless
}

} // namespace attn
