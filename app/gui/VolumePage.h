#pragma once
/// @file VolumePage.h
/// The centre of the window for a DICOM study: axial, coronal and sagittal views linked
/// through one VolumeState, window presets, and what the load reported.

#include "slices/SliceView.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;

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

private:
    widgets::VolumeState* state_;
    widgets::SliceView* views_[3];
    QComboBox* presets_;
    QLabel* details_;
    QListWidget* warnings_;
};

} // namespace attn::app
