#include "slices/VolumeState.h"

#include <algorithm>

namespace attn::widgets {

const std::vector<WindowPreset>& windowPresets()
{
    static const std::vector<WindowPreset> presets{
        {"Brain", 80, 40}, {"Bone", 2000, 500}, {"Lung", 1500, -600}, {"Soft tissue", 400, 40}, {"Abdomen", 350, 50}};
    return presets;
}

void VolumeState::setVolume(std::shared_ptr<const Volume> volume, const QString& name)
{
    volume_ = std::move(volume);
    overlay_.reset(); // they belonged to the previous volume
    reference_.reset();
    referenceLabel_.clear();
    labels_.reset();
    labelNames_.clear();
    region_.reset();
    regionLabel_.clear();
    name_ = name;
    if (volume_) {
        const auto& s = volume_->geometry.size;
        cursor_ = {s[0] / 2, s[1] / 2, s[2] / 2};
    }
    emit volumeChanged();
}

void VolumeState::setCursor(const std::array<int, 3>& voxel)
{
    if (!volume_)
        return;
    std::array<int, 3> c{};
    for (int i = 0; i < 3; ++i)
        c[static_cast<std::size_t>(i)] = std::clamp(voxel[static_cast<std::size_t>(i)], 0, volume_->geometry.size[static_cast<std::size_t>(i)] - 1);
    if (c == cursor_)
        return;
    cursor_ = c;
    emit cursorChanged();
}

void VolumeState::setWindow(double width, double level)
{
    width_ = std::max(1.0, width);
    level_ = level;
    emit windowChanged();
}

namespace {

/// The volume if it is on the study's grid, else null (the views index both with one cursor).
std::shared_ptr<const Volume> onGridOf(std::shared_ptr<const Volume> v, const std::shared_ptr<const Volume>& study)
{
    return v && study && v->geometry.size == study->geometry.size && v->values.size() == study->values.size() ? v : nullptr;
}

} // namespace

void VolumeState::setOverlay(std::shared_ptr<const Volume> overlay, const QString& label, std::shared_ptr<const Volume> numbers,
                             const QString& runName)
{
    overlay_ = onGridOf(std::move(overlay), volume_);
    numbers_ = onGridOf(std::move(numbers), volume_);
    overlayLabel_ = overlay_ ? label : QString();
    overlayRunName_ = overlay_ ? runName : QString();
    emit overlayChanged();
}

void VolumeState::setReference(std::shared_ptr<const Volume> reference, double level, const QString& label)
{
    reference_ = onGridOf(std::move(reference), volume_);
    referenceLevel_ = level;
    referenceLabel_ = reference_ ? label : QString();
    emit referenceChanged();
}

void VolumeState::setLabels(std::shared_ptr<const Volume> labels, const QStringList& names)
{
    labels_ = onGridOf(std::move(labels), volume_);
    labelNames_ = labels_ ? names : QStringList();
    emit labelsChanged();
}

void VolumeState::setRegion(std::optional<VolumeGeometry> region, const QString& label)
{
    region_ = std::move(region);
    regionLabel_ = region_ ? label : QString();
    emit labelsChanged();
}

QRgb labelColour(int value)
{
    static const QRgb palette[] = {0xff1f77b4, 0xffff7f0e, 0xff2ca02c, 0xffd62728, 0xff9467bd, 0xff8c564b, 0xffe377c2, 0xff17becf, 0xffbcbd22};
    return value <= 0 ? 0 : palette[(value - 1) % static_cast<int>(std::size(palette))];
}

void VolumeState::setOverlayStyle(const OverlayStyle& style)
{
    style_ = style;
    emit overlayChanged();
}

} // namespace attn::widgets
