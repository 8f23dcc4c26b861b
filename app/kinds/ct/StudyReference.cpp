#include "kinds/ct/StudyReference.h"

#include <QObject>

#include <algorithm>
#include <limits>
#include <sstream>

namespace attn::kinds {

std::string StudyReference::regionLabel() const
{
    if (info.isMask)
        return info.label;
    std::ostringstream s;
    s.precision(4);
    s << info.label << " >= " << level << (info.units.empty() ? "" : " " + info.units);
    return s.str();
}

StudyReference loadStudyReference(const std::string& path, int segment, const Volume& study, const StudyIdentity& identity,
                                  std::optional<double> level, const Progress* progress)
{
    StudyReference r;
    r.info = readReferenceVolume(path, segment);
    r.warnings = placementWarnings(r.info, identity.seriesUid, identity.frameOfReferenceUid, study.geometry);
    auto placed = std::make_shared<Volume>(referenceOnStudy(r.info, study.geometry, progress));
    r.maximum = placed->values.empty() ? 0.0 : *std::max_element(placed->values.begin(), placed->values.end());
    // A dose with nothing on the study has no region (a level of 0 would take in every voxel).
    r.level = r.info.isMask ? 0.5 : level.value_or(r.maximum > 0 ? r.maximum / 2 : std::numeric_limits<double>::infinity());
    r.onStudy = std::move(placed);
    r.info.volume.values = {}; // placed: its own grid's values are not needed again
    return r;
}

QString agreementHtml(const MaskAgreement& a, const QString& overlayLabel, const StudyReference& reference)
{
    const QString region = QString::fromStdString(reference.regionLabel()).toHtmlEscaped();
    if (a.regionVoxels == 0)
        return QObject::tr("The region %1 is empty on this study.").arg(region);
    return QObject::tr("<b>%1</b> against %2:<br>attention mass inside %3 (chance %4, %5x)<br>pointing game: %6 "
                       "(%7% of the peak's %8 voxels inside)")
        .arg(overlayLabel.toHtmlEscaped(), region)
        .arg(a.massInside, 0, 'f', 3)
        .arg(a.chance, 0, 'f', 3)
        .arg(a.enrichment, 0, 'f', 2)
        .arg(a.pointingHit ? QObject::tr("hit") : QObject::tr("miss"))
        .arg(100.0 * a.peakInside, 0, 'f', 0)
        .arg(a.peakVoxels);
}

} // namespace attn::kinds
