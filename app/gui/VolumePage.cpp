#include "gui/VolumePage.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace attn::app {

VolumePage::VolumePage(widgets::VolumeState* state, QWidget* parent)
    : QWidget(parent), state_(state), presets_(new QComboBox), details_(new QLabel), warnings_(new QListWidget)
{
    setObjectName("volumePage");
    const Plane planes[3] = {Plane::Axial, Plane::Coronal, Plane::Sagittal};
    for (int i = 0; i < 3; ++i)
        views_[i] = new widgets::SliceView(state, planes[i]);
    presets_->setObjectName("windowPresets");
    presets_->addItem(tr("Window preset…"));
    for (const auto& p : widgets::windowPresets())
        presets_->addItem(QString("%1 (W %2, L %3)").arg(p.name).arg(p.width).arg(p.level));
    connect(presets_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) {
            const auto& p = widgets::windowPresets()[static_cast<std::size_t>(index - 1)];
            state_->setWindow(p.width, p.level);
        }
    });
    details_->setWordWrap(true);
    details_->setTextFormat(Qt::RichText);
    warnings_->setObjectName("loadWarnings");
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(presets_);
    sideLayout->addWidget(details_);
    sideLayout->addWidget(new QLabel(tr("Load report:")));
    sideLayout->addWidget(warnings_, 1);
    auto* grid = new QGridLayout(this);
    grid->addWidget(views_[0], 0, 0);
    grid->addWidget(views_[1], 0, 1);
    grid->addWidget(views_[2], 1, 0);
    grid->addWidget(side, 1, 1);
}

void VolumePage::setDetails(const QString& html, const std::vector<std::string>& warnings)
{
    details_->setText(html);
    warnings_->clear();
    for (const std::string& w : warnings)
        warnings_->addItem(QString::fromStdString(w));
    if (warnings.empty())
        warnings_->addItem(tr("No problems: every file was used, slices are evenly spaced."));
}

widgets::SliceView* VolumePage::view(Plane plane) const
{
    return views_[plane == Plane::Axial ? 0 : plane == Plane::Coronal ? 1 : 2];
}

} // namespace attn::app
