#pragma once
/// @file SystemInfo.h
/// Facts about the machine the core runs on.

#include <cstddef>

namespace attn {

/// Physical memory of the machine in bytes (0 when unknown).
std::size_t physicalMemoryBytes();

/// Peak resident set size of this process so far, in bytes.
std::size_t peakResidentBytes();

/// Resident set size of this process now, in bytes (0 when unknown).
std::size_t residentBytes();

/// Gives the C library's freed heap memory back to the system (glibc's malloc_trim): after a
/// model is renamed and packed at load, the heap keeps the freed originals (hundreds of MB for a
/// 500M-parameter model) as resident memory that a run's peak would count again.
void releaseFreedMemory();

} // namespace attn
