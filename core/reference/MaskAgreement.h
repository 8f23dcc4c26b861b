#pragma once
/// @file MaskAgreement.h
/// Does a model look where the radiologist drew? Two measures of an attention volume against
/// a region on the same grid: the voxels where a reference volume is at least `level` (0.5
/// for a mask resampled onto the study; an isodose level for a dose). See
/// docs/mask-agreement.md.
/// - mass inside: the fraction of the attention's total mass (sum of its non-negative values)
///   that falls inside the region. Attention spread evenly over the grid would put the
///   region's volume fraction inside: that is the chance level, and the ratio of the two is
///   the enrichment (1: no better than chance);
/// - the pointing game (Zhang et al. 2016): a hit when the attention's peak lies inside the
///   region. Backprojected attention has plateaus, so the peak is every voxel within 1e-6 of
///   the maximum, and a hit needs more than half of them inside. Its chance level for a peak
///   placed at random is also the region's volume fraction.

#include "volume/VolumeGeometry.h"

#include <cstddef>

namespace attn {

/// How one attention volume agrees with one region.
struct MaskAgreement {
    double massInside = 0.0;     ///< Fraction of the attention mass inside the region.
    double chance = 0.0;         ///< The region's volume fraction of the grid.
    double enrichment = 0.0;     ///< massInside / chance (0 when the region is empty).
    bool pointingHit = false;    ///< More than half of the peak's voxels are inside.
    double peakInside = 0.0;     ///< Fraction of the peak's voxels inside.
    std::size_t peakVoxels = 0;  ///< Voxels in the peak.
    std::size_t regionVoxels = 0; ///< Voxels in the region.
};

/// Compares `attention` with the region where `reference` >= `level`, both on the same grid
/// (ShapeError otherwise). Negative attention values count as 0; an attention volume without
/// mass gives massInside 0 and no hit.
MaskAgreement compareWithRegion(const Volume& attention, const Volume& reference, float level = 0.5f);

} // namespace attn
