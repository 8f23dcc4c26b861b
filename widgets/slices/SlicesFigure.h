#pragma once
/// @file SlicesFigure.h
/// The three slice planes side by side as one figure (axial, coronal, sagittal at the
/// cursor, with the overlay if any, and then the overlay's colour bar and what it shows),
/// for export.

#include "common/FigureSource.h"
#include "slices/SliceView.h"

namespace attn::widgets {

/// Width of the overlay's legend beside a slices figure.
constexpr int kOverlayLegendWidth = 180;

/// The overlay's colour bar and what it shows (source, mask, threshold, opacity, reference) in
/// `area`, as every exported slice figure has it.
void paintOverlayLegend(QPainter& painter, const QRectF& area, const VolumeState& state);
/// The labels' colours and names (nothing without labels).
void paintLabelLegend(QPainter& painter, const QRectF& area, const VolumeState& state);
/// True when a figure of the state needs the legend: an overlay, labels or a region box.
bool hasLegend(const VolumeState& state);

/// Axial, coronal and sagittal views of one VolumeState in a row.
class SlicesFigure : public FigureSource {
public:
    explicit SlicesFigure(VolumeState* state);

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    std::shared_ptr<const Volume> figureVolume() const override { return state_->overlayNumbers(); }

private:
    VolumeState* state_;
    SliceView axial_, coronal_, sagittal_;
};

} // namespace attn::widgets
