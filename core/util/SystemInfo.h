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

} // namespace attn
