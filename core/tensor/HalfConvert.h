#pragma once
/// @file HalfConvert.h
/// Bulk float32 <-> float16 conversion (round to nearest even), with the F16C
/// instructions when the build targets them (x86-64-v3), else through Eigen::half.

#include <Eigen/Core>

#include <cstddef>

namespace attn {

/// dst[i] = half(src[i]) for i < n.
void floatToHalf(const float* src, Eigen::half* dst, std::size_t n);
/// dst[i] = float(src[i]) for i < n.
void halfToFloat(const Eigen::half* src, float* dst, std::size_t n);

} // namespace attn
