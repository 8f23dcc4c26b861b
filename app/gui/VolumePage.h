#pragma once
/// @file VolumePage.h
/// The centre of the window for a DICOM study: axial, coronal and sagittal views linked
/// through one VolumeState, window presets, and what the load reported.

#include "interpret/CtOverlay.h"
#include "slices/SliceView.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;

namespace attn::widgets {
class VolumeRenderView;
}

namespace attn::app {

/// Three linked slice views and the study's details.
class VolumePage : public QWidget {
    Q_OBJECT
public:
    explicit VolumePage(widgets::VolumeState* state, QWidget* parent = nullptr);

    /// Shows the series description and the loader's warnings.
    void setDetails(const QString& html, const std::vector<std::string>& warnings);
    /// The view of a plane.
    widgets::SliceView* view(Plane plane) const;
    /// Enables Run when a CT model and a study are both open.
    void setModelReady(bool ready);
    /// Lists the overlay sources of a finished run (rollout, then every layer and head) and
    /// shows its prediction.
    void setRunResult(int layers, int heads, const QString& prediction);
    /// The overlay source chosen.
    OverlaySource overlaySource() const;
    QPushButton* runButton() const { return run_; }
    QComboBox* sourceBox() const { return source_; }
    widgets::VolumeRenderView* renderView() const { return render_; }

signals:
    /// The user asked to run the CT model on the study.
    void runRequested();
    /// The overlay source changed (the overlay is rebuilt from the same run).
    void overlaySourceChanged();

private:
    widgets::VolumeState* state_;
    widgets::SliceView* views_[3];
    QComboBox* presets_;
    QComboBox* volumePresets_;
    QLabel* details_;
    QListWidget* warnings_;
    widgets::VolumeRenderView* render_ = nullptr;
    QPushButton* run_;
    QLabel* prediction_;
    QComboBox* source_;
    QComboBox* colormap_;
    QSlider* opacity_;
    QSlider* threshold_;

    QWidget* buildOverlayControls();
    void applyStyle();
};

} // namespace attn::app
