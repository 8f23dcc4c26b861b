#pragma once
/// @file VolumePage.h
/// The CT study tab: axial, coronal and sagittal views and the 3D view linked through one
/// VolumeState, window and 3D presets, the overlay's source and style, and the load report.

#include "interpret/CtOverlay.h"
#include "slices/SliceView.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QSlider;

namespace attn::widgets {
class VolumeRenderView;
}

namespace attn::kinds {

class ReferencePanel;

/// Three linked slice views and the study's details.
class VolumePage : public QWidget {
    Q_OBJECT
public:
    explicit VolumePage(widgets::VolumeState* state, QWidget* parent = nullptr);

    /// Shows the series description and the loader's warnings.
    void setDetails(const QString& html, const std::vector<std::string>& warnings);
    /// Adds warnings to the load report (a reference's placement).
    void addWarnings(const std::vector<std::string>& warnings);
    /// Shows what the last run did to the study (its preprocessing), first, replacing the previous run's.
    void setRunReport(const std::vector<std::string>& lines);
    /// The reference controls.
    ReferencePanel* referencePanel() const { return reference_; }
    /// The view of a plane.
    widgets::SliceView* view(Plane plane) const;
    /// Lists the overlay sources of a finished run: rollout, then every layer and head; from [CLS],
    /// or (a model without one) the attention each patch receives.
    void setSources(int layers, int heads, bool cls);
    /// The overlay source chosen.
    OverlaySource overlaySource() const;
    /// Shows (layer, head) as the overlay's source, without emitting overlaySourceChanged.
    void showSource(int layer, int head);
    QComboBox* sourceBox() const { return source_; }
    /// The 3D preset and the overlay's style, for a session.
    QJsonObject saveDisplay() const;
    /// Restores saveDisplay()'s settings.
    void restoreDisplay(const QJsonObject& display);
    widgets::VolumeRenderView* renderView() const { return render_; }

signals:
    /// The user chose another overlay source (the overlay is rebuilt from the same run).
    void overlaySourceChanged();

private:
    widgets::VolumeState* state_;
    widgets::SliceView* views_[3];
    QComboBox* presets_;
    QComboBox* volumePresets_;
    QLabel* details_;
    QListWidget* warnings_;
    widgets::VolumeRenderView* render_ = nullptr;
    QComboBox* source_;
    QComboBox* colormap_;
    QSlider* opacity_;
    QSlider* threshold_;
    QLabel* labels_; ///< The labels' colours and names, and the region box.
    ReferencePanel* reference_;

    QWidget* buildOverlayControls();
    QWidget* buildSidePanel();
    void applyStyle();
    void showLabels();
};

} // namespace attn::kinds
