#include "render3d/StructureView.h"

#include "common/ColourPainting.h"
#include "render3d/VolumeScene.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {

namespace {

std::vector<float> scaledToMax(const std::vector<float>& values)
{
    const float high = values.empty() ? 0.0f : *std::max_element(values.begin(), values.end());
    std::vector<float> out(values.size(), 0.0f);
    if (high > 0.0f)
        std::transform(values.begin(), values.end(), out.begin(), [high](float v) { return v / high; });
    return out;
}

} // namespace

StructureView::StructureView(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(160, 160);
}

StructureView::~StructureView() = default;

void StructureView::setTrace(std::vector<std::optional<Eigen::Vector3d>> ca, QStringList labels)
{
    ca_ = std::move(ca);
    labels_ = std::move(labels);
    values_.clear();
    contacts_.clear();
    highlight_.clear();
    if (scene_)
        scene_->setTrace(ca_);
    renderNow();
}

void StructureView::setValues(std::vector<float> values)
{
    values_ = std::move(values);
    if (scene_)
        scene_->setValues(scaledToMax(values_), Colormap::byName("viridis"));
    renderNow();
}

void StructureView::setContacts(std::vector<ContactLine> contacts)
{
    contacts_ = std::move(contacts);
    if (scene_)
        scene_->setContacts(contacts_);
    renderNow();
}

void StructureView::setHighlight(std::vector<int> residues)
{
    highlight_ = std::move(residues);
    if (scene_)
        scene_->setHighlight(highlight_);
    renderNow();
}

void StructureView::setLegend(StructureLegend legend)
{
    legend_ = std::move(legend);
    update();
}

bool StructureView::ensureScene()
{
    if (!isVisible() || ca_.empty())
        return false; // OpenGL is only touched for a view a person can see
    if (!scene_ && !volumeRenderingAvailable()) {
        unavailable_ = true;
        return false;
    }
    if (!scene_) {
        scene_ = std::make_unique<StructureScene>(width(), height());
        scene_->setTrace(ca_);
        scene_->setValues(scaledToMax(values_), Colormap::byName("viridis"));
        scene_->setContacts(contacts_);
        scene_->setHighlight(highlight_);
    }
    return true;
}

void StructureView::renderNow()
{
    if (ensureScene()) {
        scene_->resize(width(), height());
        image_ = rgbImage(scene_->render(), scene_->width(), scene_->height());
    }
    update();
}

void StructureView::paintInto(QPainter& painter, const QSize& size, const QImage& image) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    if (image.isNull()) {
        painter.setPen(Qt::darkGray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap,
                         ca_.empty() ? tr("Open a structure (PDB or mmCIF) to see the contacts in 3D")
                         : unavailable_ ? tr("3D rendering needs an X display (OpenGL)") : tr("Rendering..."));
        return;
    }
    painter.drawImage(QRectF(QPointF(0, 0), QSizeF(size)), image);
    QFont f = painter.font();
    f.setPixelSize(12);
    painter.setFont(f);
    painter.setPen(Qt::black);
    QString text = tr("Tube: Calpha trace, coloured by %1").arg(legend_.values.isEmpty() ? tr("nothing yet (run a model)") : legend_.values);
    if (!legend_.contacts.isEmpty())
        text += "\n" + tr("Lines: %1; green true, red false").arg(legend_.contacts);
    painter.drawText(QRectF(8, 6, size.width() - 16, 40), Qt::AlignLeft | Qt::AlignTop, text);
    paintColourBar(painter, QRectF(size.width() - 70, 60, 14, std::min(200, size.height() - 80)), Colormap::byName("viridis"),
                   ColourRange{0.0, 1.0, ColourScale::Linear}, tr("of max"));
}

void StructureView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintInto(painter, size(), image_);
}

void StructureView::paintFigure(QPainter& painter, const QSize& size) const
{
    QImage image = image_;
    if (scene_ && !image_.isNull()) { // rendered anew at the exported pixels (up to 2400 on the longer side)
        const double scale = std::clamp(painter.deviceTransform().m11(), 1.0, 8.0);
        const double fit = std::min(1.0, 2400.0 / (std::max(size.width(), size.height()) * scale));
        scene_->resize(static_cast<int>(std::lround(size.width() * scale * fit)), static_cast<int>(std::lround(size.height() * scale * fit)));
        image = rgbImage(scene_->render(), scene_->width(), scene_->height());
        scene_->resize(image_.width(), image_.height());
    }
    paintInto(painter, size, image);
}

FigureData StructureView::figureData() const
{
    FigureData d;
    d.columns = {"query_residue", "structure_residue", "has_coordinates", "value"};
    const auto n = static_cast<Index>(ca_.size());
    d.array.shape = {n};
    d.array.data.assign(static_cast<std::size_t>(n), std::nanf(""));
    for (Index r = 0; r < n; ++r) {
        const auto i = static_cast<std::size_t>(r);
        const bool value = i < values_.size();
        if (value)
            d.array.data[i] = values_[i];
        d.rows.push_back({QString::number(r + 1), r < labels_.size() ? labels_[static_cast<int>(r)] : QString(),
                          ca_[i] ? "1" : "0", value ? QString::number(values_[i]) : QString()});
    }
    return d;
}

QString StructureView::figureTitle() const
{
    return tr("Structure coloured by %1").arg(legend_.values);
}

void StructureView::resizeEvent(QResizeEvent*)
{
    renderNow();
}

void StructureView::showEvent(QShowEvent*)
{
    renderNow();
}

void StructureView::mousePressEvent(QMouseEvent* event)
{
    last_ = event->position().toPoint();
}

void StructureView::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton) || !scene_)
        return;
    const QPoint d = event->position().toPoint() - last_;
    last_ = event->position().toPoint();
    scene_->rotate(-d.x() * 0.5, d.y() * 0.5);
    renderNow();
}

void StructureView::mouseDoubleClickEvent(QMouseEvent*)
{
    if (scene_) {
        scene_->resetCamera();
        renderNow();
    }
}

void StructureView::wheelEvent(QWheelEvent* event)
{
    if (scene_) {
        scene_->zoom(std::pow(1.1, event->angleDelta().y() / 120.0));
        renderNow();
    }
}

} // namespace attn::widgets
