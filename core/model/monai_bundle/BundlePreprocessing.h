#pragma once
/// @file BundlePreprocessing.h
/// What a MONAI bundle's preprocessing does to a study, as attnscope applies it: Orientation
/// (axcodes), Spacing (pixdim, bilinear), ScaleIntensityRange (a_min, a_max, b_min, b_max, clip),
/// CropForeground (margin, k_divisible, allow_smaller; the default select_fn), Resize
/// (spatial_size; area, trilinear or nearest), CenterSpatialCrop, SpatialPad and
/// ResizeWithPadOrCrop (zero padding), with or without MONAI's dictionary "d"; LoadImage,
/// EnsureChannelFirst, EnsureType and the like are what reading the study already does. Every
/// other transform, or one whose arguments are Python expressions, is named as not applied. And
/// the inferer's sliding-window settings.

#include "model/ConfigReader.h"
#include "util/Progress.h"
#include "volume/VolumeGeometry.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// One preprocessing step attnscope applies.
struct MonaiStep {
    enum class Kind { Orientation, Spacing, ScaleIntensityRange, CropForeground, Resize, CenterSpatialCrop, SpatialPad, ResizeWithPadOrCrop };
    Kind kind = Kind::Orientation;
    std::string name;                        ///< As the bundle names it ("Spacingd").
    std::string axcodes;                     ///< Orientation.
    std::array<double, 3> pixdim{0, 0, 0};   ///< Spacing (non-positive: keep).
    double aMin = 0, aMax = 1;               ///< ScaleIntensityRange.
    std::optional<double> bMin, bMax;        ///< ScaleIntensityRange's output range, if given.
    bool clip = false;                       ///< ScaleIntensityRange.
    std::array<int, 3> margin{0, 0, 0};      ///< CropForeground.
    std::array<int, 3> kDivisible{1, 1, 1};  ///< CropForeground.
    bool allowSmaller = false;               ///< CropForeground (MONAI 1.5's default).
    std::array<int, 3> size{0, 0, 0};        ///< Resize and the crops and pads (non-positive: keep).
    bool padAtEnd = false;                   ///< SpatialPad, ResizeWithPadOrCrop: method "end" (else "symmetric").
    std::string mode = "area";               ///< Resize.

    /// One line saying what it does.
    std::string describe() const;
};

/// The inferer's sliding-window settings (SlidingWindowInferer's defaults when the bundle gives none).
struct SlidingWindowSettings {
    double overlap = 0.25;
    bool gaussian = false;   ///< mode "gaussian" (else "constant").
    double sigmaScale = 0.125;
};

/// A bundle's preprocessing as attnscope applies it.
struct MonaiPreprocessing {
    std::vector<MonaiStep> steps;            ///< Applied, in the bundle's order.
    std::vector<std::string> byReader;       ///< Done by reading the study ("LoadImaged: ...").
    std::vector<std::string> notApplied;     ///< Named with why.
    SlidingWindowSettings inferer;

    /// Every line of the report: what is applied, what reading does, what is not applied.
    std::vector<std::string> describe() const;
};

/// Reads the "preprocessing" transforms and the "inferer" that the bundle format puts beside the
/// network's arguments (none when absent). Never throws for a transform it cannot apply: it is
/// named in notApplied.
MonaiPreprocessing readMonaiPreprocessing(const ConfigReader& config);

/// The geometry after a crop or pad step (CenterSpatialCrop, SpatialPad, ResizeWithPadOrCrop), from the
/// geometry before it; `g` itself for any other step.
VolumeGeometry geometryAfter(const MonaiStep& step, const VolumeGeometry& g);

/// The study through the steps, in order: the volume in MONAI's array axes (x, y, z of the study as
/// MONAI's ITK reader gives them, then reoriented), with its geometry in patient space; each step's
/// line appended to `done`. Throws Cancelled when asked, FormatError naming the step when it
/// cannot be done (CropForeground of a study with no voxel above 0).
Volume applyPreprocessing(const MonaiPreprocessing& p, const Volume& study, std::vector<std::string>& done, const Progress* progress);

} // namespace attn
