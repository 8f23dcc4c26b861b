#pragma once
/// @file StudyReference.h
/// A reference volume placed on a CT study, as the window and the CLI show it: its values on
/// the study's grid, the level whose region is outlined and compared (0.5 for a mask, half
/// the maximum for a dose unless chosen), the placement warnings, and the agreement text.

#include "reference/MaskAgreement.h"
#include "reference/ReferenceVolume.h"

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn::kinds {

/// What the study knows of itself for placing a reference on it.
struct StudyIdentity {
    std::string seriesUid;            ///< SeriesInstanceUID.
    std::string frameOfReferenceUid;  ///< FrameOfReferenceUID.
};

/// A reference on a study.
struct StudyReference {
    ReferenceVolume info;                  ///< What was read (its own-grid values dropped once placed).
    std::shared_ptr<const Volume> onStudy; ///< Its values on the study's grid.
    double level = 0.5;                    ///< The outlined and compared region: onStudy >= level.
    double maximum = 1.0;                  ///< Its largest value on the study.
    std::vector<std::string> warnings;     ///< Placement warnings (each names the file).

    /// "segment 1 (Ball)", or "RT dose (GY) >= 1.5 GY".
    std::string regionLabel() const;
};

/// Reads `path` (segment `segment`, 0: the first) and places it on `study`; `level` (a dose's
/// isodose level) defaults to half its maximum. Throws attn::Error naming the file, or
/// Cancelled when `progress` asks to stop.
StudyReference loadStudyReference(const std::string& path, int segment, const Volume& study, const StudyIdentity& identity,
                                  std::optional<double> level = std::nullopt, const Progress* progress = nullptr);

/// The agreement of an overlay with the reference's region, for people: mass inside against
/// chance, enrichment, the pointing game.
QString agreementHtml(const MaskAgreement& agreement, const QString& overlayLabel, const StudyReference& reference);

} // namespace attn::kinds
