#include "reference/MaskAgreement.h"

#include "util/Error.h"

#include <algorithm>

namespace attn {

MaskAgreement compareWithRegion(const Volume& attention, const Volume& reference, float level)
{
    check<ShapeError>(attention.geometry.size == reference.geometry.size && attention.values.size() == reference.values.size(),
                      "the attention and the reference are not on the same grid");
    MaskAgreement out;
    const std::size_t n = attention.values.size();
    if (n == 0)
        return out;
    const auto inRegion = [&](std::size_t i) { return reference.values[i] >= level; };
    double mass = 0, inside = 0;
    float peak = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = std::max(0.0f, attention.values[i]);
        mass += a;
        if (inRegion(i)) {
            inside += a;
            ++out.regionVoxels;
        }
        peak = std::max(peak, attention.values[i]);
    }
    out.chance = static_cast<double>(out.regionVoxels) / static_cast<double>(n);
    if (mass <= 0)
        return out;
    out.massInside = inside / mass;
    out.enrichment = out.chance > 0 ? out.massInside / out.chance : 0.0;
    const float peakLevel = peak - 1e-6f * std::abs(peak);
    std::size_t peakInside = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (attention.values[i] >= peakLevel) {
            ++out.peakVoxels;
            peakInside += inRegion(i) ? 1 : 0;
        }
    out.peakInside = static_cast<double>(peakInside) / static_cast<double>(out.peakVoxels);
    out.pointingHit = 2 * peakInside > out.peakVoxels;
    return out;
}

} // namespace attn
