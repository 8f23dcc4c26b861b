#include "slices/SliceView.h"

#include "slices/SlicesFigure.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr qreal kMargin = 22; // room for the orientation letters
constexpr QRgb kReferenceColour = 0xff30ff60; // the reference's outline: bright green (the crosshair is blue)
constexpr QRgb kRegionColour = 0xffffe020;    // the box a model sees: yellow

const char* planeName(Plane p)
{
    return p == Plane::Axial ? "Axial" : p == Plane::Coronal ? "Coronal" : "Sagittal";
}

/// A round length (1, 2 or 5 x 10^k mm) close to a fifth of the width.
double niceLength(double mm)
{
    const double target = mm / 5.0;
    const double base = std::pow(10.0, std::floor(std::log10(target)));
    for (double f : {5.0, 2.0, 1.0})
        if (f * base <= target)
            return f * base;
    return base;
}

} // namespace

SliceView::SliceView(VolumeState* state, Plane plane, QWidget* parent) : QWidget(parent), state_(state), plane_(plane)
{
    setMinimumSize(160, 160);
    setMouseTracking(false);
    connect(state_, &VolumeState::volumeChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &VolumeState::cursorChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &VolumeState::windowChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &VolumeState::overlayChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &VolumeState::referenceChanged, this, [this] {
        rebuild();
        update();
    });
    connect(state_, &VolumeState::labelsChanged, this, [this] {
        rebuild();
        update();
    });
    rebuild();
}

void SliceView::rebuild()
{
    image_ = QImage();
    if (!state_->volume())
        return;
    const int fixed = state_->cursor()[static_cast<std::size_t>(fixedAxis(plane_))];
    slice_ = extractSlice(*state_->volume(), plane_, fixed);
    const double low = state_->windowLevel() - state_->windowWidth() / 2, scale = 255.0 / state_->windowWidth();
    image_ = QImage(static_cast<int>(slice_.values.cols()), static_cast<int>(slice_.values.rows()), QImage::Format_RGB32);
    const bool overlay = state_->overlay() != nullptr;
    Matrix over;
    if (overlay)
        over = extractSlice(*state_->overlay(), plane_, fixed).values;
    const OverlayStyle& style = state_->overlayStyle();
    const Colormap map = Colormap::byName(style.colormap.toStdString());
    for (int r = 0; r < image_.height(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image_.scanLine(r));
        for (int c = 0; c < image_.width(); ++c) {
            const int grey = static_cast<int>(std::clamp((slice_.values(r, c) - low) * scale, 0.0, 255.0));
            int red = grey, green = grey, blue = grey;
            if (overlay && over(r, c) >= style.threshold) { // alpha blend of the overlay's colour
                const Rgb o = map.at(over(r, c));
                const double a = style.opacity;
                red = static_cast<int>(grey * (1 - a) + o.r * a);
                green = static_cast<int>(grey * (1 - a) + o.g * a);
                blue = static_cast<int>(grey * (1 - a) + o.b * a);
            }
            line[c] = qRgb(red, green, blue);
        }
    }
    if (state_->labels())
        drawLabelOutlines(extractSlice(*state_->labels(), plane_, fixed).values);
    if (state_->reference())
        drawOutline(extractSlice(*state_->reference(), plane_, fixed).values, state_->referenceLevel(), kReferenceColour);
    if (state_->region())
        drawOutline(regionMask(*state_->region(), fixed), 0.5, kRegionColour);
}

Matrix SliceView::regionMask(const VolumeGeometry& region, int fixed) const
{
    const VolumeGeometry& g = state_->volume()->geometry;
    Matrix mask = Matrix::Zero(slice_.values.rows(), slice_.values.cols());
    for (Index r = 0; r < mask.rows(); ++r)
        for (Index c = 0; c < mask.cols(); ++c) {
            const auto v = pixelToVoxel(g, plane_, static_cast<int>(c), static_cast<int>(r), fixed);
            const Eigen::Vector3d i = region.patientToIndex(g.indexToPatient(Eigen::Vector3d(v[0], v[1], v[2])));
            bool inside = true;
            for (int a = 0; a < 3; ++a)
                inside = inside && i[a] >= -0.5 && i[a] < region.size[static_cast<std::size_t>(a)] - 0.5;
            mask(r, c) = inside ? 1.0f : 0.0f;
        }
    return mask;
}

void SliceView::drawLabelOutlines(const Matrix& labels)
{
    const auto at = [&](Index r, Index c) { return r >= 0 && c >= 0 && r < labels.rows() && c < labels.cols() ? labels(r, c) : -1.0f; };
    for (Index r = 0; r < labels.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image_.scanLine(static_cast<int>(r)));
        for (Index c = 0; c < labels.cols(); ++c) {
            const float v = labels(r, c);
            if (v > 0.0f && (at(r - 1, c) != v || at(r + 1, c) != v || at(r, c - 1) != v || at(r, c + 1) != v))
                line[c] = labelColour(static_cast<int>(v));
        }
    }
}

void SliceView::drawOutline(const Matrix& reference, double level, QRgb colour)
{
    // A pixel inside the region with a 4-neighbour outside it (or at the image's edge).
    const auto inside = [&](Index r, Index c) {
        return r >= 0 && c >= 0 && r < reference.rows() && c < reference.cols() && reference(r, c) >= level;
    };
    for (Index r = 0; r < reference.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image_.scanLine(static_cast<int>(r)));
        for (Index c = 0; c < reference.cols(); ++c)
            if (inside(r, c) && !(inside(r - 1, c) && inside(r + 1, c) && inside(r, c - 1) && inside(r, c + 1)))
                line[c] = colour;
    }
}

QRectF SliceView::imageRectIn(const QRectF& area) const
{
    if (image_.isNull())
        return {};
    const QRectF inner = area.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const double w = image_.width() * slice_.pixelWidth, h = image_.height() * slice_.pixelHeight; // mm
    const double scale = std::min(inner.width() / w, inner.height() / h);
    const QSizeF size(w * scale, h * scale);
    return QRectF(inner.center() - QPointF(size.width() / 2, size.height() / 2), size);
}

QRectF SliceView::imageRect() const
{
    return imageRectIn(QRectF(rect()));
}

QPointF SliceView::voxelPosition(const std::array<int, 3>& voxel) const
{
    const QRectF r = imageRect();
    const auto p = voxelToPixel(state_->volume()->geometry, plane_, voxel);
    return {r.x() + (p[0] + 0.5) * r.width() / image_.width(), r.y() + (p[1] + 0.5) * r.height() / image_.height()};
}

std::array<QString, 4> SliceView::orientationLabels() const
{
    const auto l = [](const Eigen::Vector3d& d) { return QString::fromStdString(orientationLetter(d)); };
    return {l(-slice_.right), l(slice_.right), l(-slice_.down), l(slice_.down)};
}

double SliceView::scaleBarMillimetres() const
{
    return image_.isNull() ? 0.0 : niceLength(image_.width() * slice_.pixelWidth);
}

void SliceView::paintScaleBar(QPainter& painter, const QRectF& image, const QRectF& area) const
{
    // below the image, bottom left, in the margin: never over the anatomy
    const double mm = scaleBarMillimetres();
    const qreal pixels = mm / slice_.pixelWidth * image.width() / image_.width();
    const qreal y = std::min(area.bottom() - 6, image.bottom() + kMargin / 2);
    const QPointF start(image.left(), y);
    painter.setPen(QPen(Qt::white, 2));
    painter.drawLine(start, start + QPointF(pixels, 0));
    painter.drawText(QRectF(start.x() + pixels + 4, y - 8, 60, 16), Qt::AlignLeft | Qt::AlignVCenter, QString("%1 mm").arg(mm));
}

void SliceView::paintOverlayText(QPainter& painter, const QRectF& image, const QRectF& area) const
{
    const auto labels = orientationLabels();
    painter.setPen(QColor(255, 200, 60));
    painter.drawText(QRectF(area.left(), image.top(), kMargin, image.height()), Qt::AlignCenter, labels[0]);
    painter.drawText(QRectF(image.right(), image.top(), kMargin, image.height()), Qt::AlignCenter, labels[1]);
    painter.drawText(QRectF(image.left(), area.top(), image.width(), kMargin), Qt::AlignCenter, labels[2]);
    painter.drawText(QRectF(image.left(), image.bottom(), image.width(), kMargin), Qt::AlignCenter, labels[3]);
    paintScaleBar(painter, image, area);
    // plane and slice in the top-left corner (on two lines when one does not fit beside the
    // top letter), window in the bottom-right corner of the view
    const int axis = fixedAxis(plane_);
    const int fixed = state_->cursor()[static_cast<std::size_t>(axis)];
    painter.setPen(QColor(220, 220, 220));
    const QString slice = QString("%1/%2").arg(fixed + 1).arg(state_->volume()->geometry.size[static_cast<std::size_t>(axis)]);
    const QString named = QString("%1 %2").arg(planeName(plane_), slice);
    const QFontMetricsF metrics(painter.font());
    const qreal room = image.center().x() - metrics.horizontalAdvance(labels[2]) / 2 - 4 - (area.left() + 4);
    const QString corner = metrics.horizontalAdvance(named) <= room ? named : QString("%1\n%2").arg(planeName(plane_), slice);
    painter.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignTop, corner);
    painter.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignRight | Qt::AlignBottom,
                     QString("W %1 L %2").arg(state_->windowWidth(), 0, 'f', 0).arg(state_->windowLevel(), 0, 'f', 0));
}

void SliceView::paintInto(QPainter& painter, const QRectF& area) const
{
    painter.fillRect(area, Qt::black);
    if (image_.isNull()) {
        painter.setPen(Qt::gray);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, "Open a DICOM folder to see its slices here.");
        return;
    }
    const QRectF image = imageRectIn(area);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // voxels as they are, not blurred
    painter.drawImage(image, image_);
    // crosshair through the cursor
    const auto p = voxelToPixel(state_->volume()->geometry, plane_, state_->cursor());
    const qreal x = image.x() + (p[0] + 0.5) * image.width() / image_.width();
    const qreal y = image.y() + (p[1] + 0.5) * image.height() / image_.height();
    painter.setPen(QPen(QColor(60, 200, 255, 200), 1));
    painter.drawLine(QPointF(image.left(), y), QPointF(image.right(), y));
    painter.drawLine(QPointF(x, image.top()), QPointF(x, image.bottom()));
    paintOverlayText(painter, image, area);
}

void SliceView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintInto(p, QRectF(rect()));
}

void SliceView::moveCursorTo(const QPointF& pos)
{
    const QRectF r = imageRect();
    if (image_.isNull() || !r.contains(pos))
        return;
    const int column = std::clamp(static_cast<int>((pos.x() - r.x()) / r.width() * image_.width()), 0, image_.width() - 1);
    const int row = std::clamp(static_cast<int>((pos.y() - r.y()) / r.height() * image_.height()), 0, image_.height() - 1);
    const int fixed = state_->cursor()[static_cast<std::size_t>(fixedAxis(plane_))];
    state_->setCursor(pixelToVoxel(state_->volume()->geometry, plane_, column, row, fixed));
}

void SliceView::mousePressEvent(QMouseEvent* event)
{
    dragStart_ = event->position().toPoint();
    dragWidth_ = state_->windowWidth();
    dragLevel_ = state_->windowLevel();
    if (event->button() == Qt::LeftButton)
        moveCursorTo(event->position());
}

void SliceView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton) {
        moveCursorTo(event->position());
    } else if (event->buttons() & Qt::RightButton) { // window: drag right widens; level: drag up raises
        const QPoint d = event->position().toPoint() - dragStart_;
        state_->setWindow(dragWidth_ * std::pow(1.01, d.x()), dragLevel_ - d.y() * std::max(1.0, dragWidth_ / 200.0));
    }
}

void SliceView::wheelEvent(QWheelEvent* event)
{
    if (!state_->volume())
        return;
    auto c = state_->cursor();
    c[static_cast<std::size_t>(fixedAxis(plane_))] += event->angleDelta().y() > 0 ? 1 : -1;
    state_->setCursor(c);
    event->accept();
}

QSize SliceView::figureSize() const
{
    return planeFigureSize() + QSize(hasLegend(*state_) ? kOverlayLegendWidth : 0, 0);
}

void SliceView::paintPlane(QPainter& painter, const QSize& size) const
{
    paintInto(painter, QRectF(QPointF(0, 0), QSizeF(size)));
}

void SliceView::paintFigure(QPainter& painter, const QSize& size) const
{
    const int legend = hasLegend(*state_) ? kOverlayLegendWidth : 0; // never an overlay without saying what it is
    paintPlane(painter, QSize(size.width() - legend, size.height()));
    if (legend > 0)
        paintOverlayLegend(painter, QRectF(size.width() - legend, 0, legend, size.height()), *state_);
}

QString SliceView::figureTitle() const
{
    return titleFor(QString("%1 slice").arg(planeName(plane_)), state_->titleName());
}

FigureData SliceView::figureData() const
{
    FigureData d;
    d.columns = {"row", "column", "value"};
    if (image_.isNull())
        return d;
    d.array.shape = {slice_.values.rows(), slice_.values.cols()};
    d.array.data.assign(slice_.values.data(), slice_.values.data() + slice_.values.size());
    for (Index r = 0; r < slice_.values.rows(); ++r)
        for (Index c = 0; c < slice_.values.cols(); ++c)
            d.rows.push_back({QString::number(r), QString::number(c), QString::number(slice_.values(r, c), 'g', 7)});
    return d;
}

} // namespace attn::widgets
