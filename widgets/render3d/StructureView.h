#pragma once
/// @file StructureView.h
/// The 3D structure: a StructureScene (VTK, offscreen) in a plain Qt widget, as the CT volume
/// view shows its scene. The Calpha tube is coloured by a value per query residue (the
/// workspace gives the selected head's attention), lines join the top predicted contacts (green
/// true, red false), and clicked contacts' residues are marked. Drag rotates, the wheel zooms,
/// a double-click resets the view. Without an X display it says so instead of rendering.

#include "common/FigureSource.h"
#include "render3d/StructureScene.h"

#include <QImage>
#include <QWidget>

#include <memory>

namespace attn::widgets {

/// What the tube and lines show, for the legend.
struct StructureLegend {
    QString values;   ///< "attention to ALA 57, layer 2 head 1"
    QString contacts; ///< "top 44 of the contact head"
};

/// A protein structure with attention and contacts.
class StructureView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit StructureView(QWidget* parent = nullptr);
    ~StructureView() override;

    /// The trace (Calpha per query residue; none where it has no coordinates) and residue names.
    void setTrace(std::vector<std::optional<Eigen::Vector3d>> ca, QStringList labels);
    /// Values per residue (scaled to their maximum), contacts, highlighted residues, legend.
    void setValues(std::vector<float> values);
    void setContacts(std::vector<ContactLine> contacts);
    void setHighlight(std::vector<int> residues);
    void setLegend(StructureLegend legend);
    /// True when a structure is shown.
    bool hasTrace() const { return !ca_.empty(); }
    /// The image last rendered (null before the view was shown, or without a display).
    const QImage& image() const { return image_; }
    const std::vector<ContactLine>& contacts() const { return contacts_; }
    const std::vector<int>& highlighted() const { return highlight_; }
    const std::vector<float>& values() const { return values_; }
    const StructureLegend& legend() const { return legend_; }

    QSize figureSize() const override { return {700, 600}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {700, 600}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    bool ensureScene();
    void renderNow();
    void paintInto(QPainter& painter, const QSize& size, const QImage& image) const;

    mutable std::unique_ptr<StructureScene> scene_;
    std::vector<std::optional<Eigen::Vector3d>> ca_;
    QStringList labels_;
    std::vector<float> values_;
    std::vector<ContactLine> contacts_;
    std::vector<int> highlight_;
    StructureLegend legend_;
    QImage image_;
    QPoint last_;
    bool unavailable_ = false;
};

} // namespace attn::widgets
