#pragma once
/// @file RegionControls.h
/// The CT workspace's controls for a model that sees a region (UNETR): where its box is and how
/// to move it (a click in the slices), and whether a run also segments the whole study by sliding
/// windows. Hidden for models that see the whole study.

#include "model/VolumeModel.h"

#include <QWidget>

class QCheckBox;
class QLabel;

namespace attn::kinds {

/// Region and sliding-window controls.
class RegionControls : public QWidget {
    Q_OBJECT
public:
    explicit RegionControls(QWidget* parent = nullptr);

    /// Shows what `model` offers (hidden for a model without a region or segmentation; null: none).
    void setModel(const VolumeModel* model);
    /// Says where the box is (the cursor's voxel, or the run's).
    void setPlace(const QString& text);
    /// True when the user asks the next run to segment the whole study.
    bool wholeStudy() const;

private:
    QLabel* place_;
    QCheckBox* wholeStudy_;
    bool segments_ = false;
};

/// "96 x 96 x 96": a grid size for labels.
QString sizeText(const std::array<int, 3>& size);

} // namespace attn::kinds
