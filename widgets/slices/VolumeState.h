#pragma once
/// @file VolumeState.h
/// What the linked slice views share: the volume shown, the cursor (the voxel the three
/// planes cross at) and the grey-level window. Views read it and write to it; its signals
/// keep them linked (as ExplorerState does for the attention views).

#include "render/Colormap.h"
#include "volume/VolumeGeometry.h"

#include <QObject>
#include <QString>

#include <QColor>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace attn::widgets {

/// A named grey-level window (HU for CT).
struct WindowPreset {
    QString name;
    double width;
    double level;
};

/// Brain, bone, lung, soft tissue and abdomen windows (width / level, HU).
const std::vector<WindowPreset>& windowPresets();

/// How an overlay is drawn: colormap, opacity, and the fraction of its maximum below which
/// nothing is drawn.
struct OverlayStyle {
    QString colormap = "magma";
    double opacity = 0.5;   ///< 0 to 1.
    double threshold = 0.2; ///< 0 to 1, of the overlay's maximum (overlays are scaled to max 1).
};

/// Volume, cursor, window and overlay of the slice views.
class VolumeState : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// The volume (null before one is loaded).
    const std::shared_ptr<const Volume>& volume() const { return volume_; }
    /// Voxel the three planes go through (x, y, z).
    const std::array<int, 3>& cursor() const { return cursor_; }
    /// Window width.
    double windowWidth() const { return width_; }
    /// Window level (centre).
    double windowLevel() const { return level_; }

    /// Shows a volume; the cursor goes to its centre.
    void setVolume(std::shared_ptr<const Volume> volume, const QString& name);
    /// Name of the volume shown.
    const QString& name() const { return name_; }
    /// Moves the cursor (clamped to the volume).
    void setCursor(const std::array<int, 3>& voxel);
    /// Sets the grey-level window (width at least 1).
    void setWindow(double width, double level);
    /// The overlay on the volume's grid (null: none).
    const std::shared_ptr<const Volume>& overlay() const { return overlay_; }
    /// How the overlay is drawn.
    const OverlayStyle& overlayStyle() const { return style_; }
    /// Shows an overlay (same grid as the volume; one on another grid is not shown) or removes
    /// it (null), with a label saying what it shows (for figures).
    /// `numbers` (same grid) are the overlay's values on every voxel when what is drawn leaves
    /// some out (a mask): what its data export writes; null: the overlay itself.
    /// `runName` is the name of the run it is of ("CT [intervened: L0H1 zeroed]"), which figure titles
    /// then name instead of the study.
    void setOverlay(std::shared_ptr<const Volume> overlay, const QString& label = {}, std::shared_ptr<const Volume> numbers = nullptr,
                    const QString& runName = {});
    /// What figure titles name: the overlay's run when one is shown and named, else the study.
    const QString& titleName() const { return overlay_ && !overlayRunName_.isEmpty() ? overlayRunName_ : name_; }
    /// The overlay's values on every voxel (see setOverlay), or null without an overlay.
    std::shared_ptr<const Volume> overlayNumbers() const { return overlay_ && numbers_ ? numbers_ : overlay_; }
    /// What the overlay shows ("Rollout from [CLS]", ...).
    const QString& overlayLabel() const { return overlayLabel_; }
    /// Changes how the overlay is drawn.
    void setOverlayStyle(const OverlayStyle& style);
    /// A reference on the volume's grid (a mask or a dose), drawn as the outline of the region
    /// where it is at least referenceLevel(); null: none.
    const std::shared_ptr<const Volume>& reference() const { return reference_; }
    /// The outline's level (0.5 for a mask; an isodose level for a dose).
    double referenceLevel() const { return referenceLevel_; }
    /// What the reference is ("segment 1 (Liver)", "RT dose (GY) at 30 GY").
    const QString& referenceLabel() const { return referenceLabel_; }
    /// Shows a reference (same grid as the volume; one on another grid is not shown) or removes
    /// it (null).
    void setReference(std::shared_ptr<const Volume> reference, double level, const QString& label);

    /// Labels on the volume's grid (a segmenting model's: 0 is background, not drawn), with a name
    /// for each; null: none.
    const std::shared_ptr<const Volume>& labels() const { return labels_; }
    /// The labels' names, by label value.
    const QStringList& labelNames() const { return labelNames_; }
    /// Shows labels (same grid as the volume; on another grid they are not shown) or removes them.
    void setLabels(std::shared_ptr<const Volume> labels, const QStringList& names);
    /// The box a model sees (a grid in patient space, drawn as an outline where a slice cuts it);
    /// none: no box.
    const std::optional<VolumeGeometry>& region() const { return region_; }
    /// What the box is ("UNETR's region, 96 x 96 x 96 voxels").
    const QString& regionLabel() const { return regionLabel_; }
    /// Shows a box or removes it (nullopt).
    void setRegion(std::optional<VolumeGeometry> region, const QString& label);

signals:
    /// A new volume is shown.
    void volumeChanged();
    /// The cursor moved.
    void cursorChanged();
    /// The window changed.
    void windowChanged();
    /// The overlay or its style changed.
    void overlayChanged();
    /// The reference or its level changed.
    void referenceChanged();
    /// The labels or the region changed.
    void labelsChanged();

private:
    std::shared_ptr<const Volume> volume_;
    QString name_;
    QString overlayRunName_;
    std::array<int, 3> cursor_{0, 0, 0};
    double width_ = 400;
    double level_ = 40;
    std::shared_ptr<const Volume> overlay_;
    std::shared_ptr<const Volume> numbers_;
    QString overlayLabel_;
    OverlayStyle style_;
    std::shared_ptr<const Volume> reference_;
    double referenceLevel_ = 0.5;
    QString referenceLabel_;
    std::shared_ptr<const Volume> labels_;
    QStringList labelNames_;
    std::optional<VolumeGeometry> region_;
    QString regionLabel_;
};

/// The colour of label `value` (a categorical palette; 0, background, is never drawn).
QRgb labelColour(int value);

} // namespace attn::widgets
