#include "tensor/HalfConvert.h"

#ifdef __F16C__
#include <immintrin.h>
#endif

namespace attn {

void floatToHalf(const float* src, Eigen::half* dst, std::size_t n)
{
    std::size_t i = 0;
#ifdef __F16C__
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
#endif
    for (; i < n; ++i)
        dst[i] = Eigen::half(src[i]);
}

void halfToFloat(const Eigen::half* src, float* dst, std::size_t n)
{
    std::size_t i = 0;
#ifdef __F16C__
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i))));
#endif
    for (; i < n; ++i)
        dst[i] = static_cast<float>(src[i]);
}

} // namespace attn
