#include "kinds/ct/RegionControls.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>

namespace attn::kinds {

RegionControls::RegionControls(QWidget* parent)
    : QWidget(parent), place_(new QLabel(this)), wholeStudy_(new QCheckBox(tr("Also segment the whole study (sliding windows)"), this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    place_->setWordWrap(true);
    wholeStudy_->setToolTip(tr("Run MONAI's sliding-window inference over the whole preprocessed study, with the bundle's overlap and "
                               "blending, after the region's run. The attention stays the region's."));
    layout->addWidget(place_, 1);
    layout->addWidget(wholeStudy_);
    setVisible(false);
}

void RegionControls::setModel(const VolumeModel* model)
{
    const bool region = model && model->seesRegion();
    segments_ = model && model->segments();
    wholeStudy_->setVisible(segments_);
    setVisible(region || segments_);
}

void RegionControls::setPlace(const QString& text)
{
    place_->setText(text);
}

bool RegionControls::wholeStudy() const
{
    return segments_ && wholeStudy_->isChecked();
}

QString sizeText(const std::array<int, 3>& size)
{
    return QString("%1 x %2 x %3").arg(size[0]).arg(size[1]).arg(size[2]);
}

} // namespace attn::kinds
