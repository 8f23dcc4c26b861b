#include "kinds/ct/VolumePage.h"

#include "common/HeadChoices.h"
#include "kinds/ct/ReferencePanel.h"
#include "render3d/VolumeRenderView.h"

#include <QComboBox>
#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QFormLayout>
#include <QColor>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QVBoxLayout>

namespace attn::kinds {

VolumePage::VolumePage(widgets::VolumeState* state, QWidget* parent)
    : QWidget(parent), state_(state), presets_(new QComboBox), volumePresets_(new QComboBox), details_(new QLabel), warnings_(new QListWidget),
      source_(new QComboBox), colormap_(new QComboBox),
      opacity_(new QSlider(Qt::Horizontal)), threshold_(new QSlider(Qt::Horizontal)),
      reference_(new ReferencePanel)
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
    render_ = new widgets::VolumeRenderView(state);
    render_->setObjectName("volumeRender");
    volumePresets_->setObjectName("volumePresets");
    volumePresets_->setToolTip(tr("Transfer function of the 3D view"));
    const QStringList presetNames{tr("3D: glass (overlay shows through)"), tr("3D: bone"), tr("3D: soft tissue"), tr("3D: skin")};
    for (std::size_t i = 0; i < widgets::volumePresets().size(); ++i)
        volumePresets_->addItem(presetNames[static_cast<int>(i)], static_cast<int>(widgets::volumePresets()[i].first));
    connect(volumePresets_, &QComboBox::currentIndexChanged, this,
            [this] { render_->setPreset(static_cast<widgets::VolumePreset>(volumePresets_->currentData().toInt())); });
    details_->setWordWrap(true);
    details_->setTextFormat(Qt::RichText);
    warnings_->setObjectName("loadWarnings");
    warnings_->setWordWrap(true);
    auto* grid = new QGridLayout(this);
    grid->addWidget(views_[0], 0, 0);
    grid->addWidget(views_[1], 0, 1);
    grid->addWidget(views_[2], 1, 0);
    grid->addWidget(render_, 1, 1);
    grid->addWidget(buildSidePanel(), 0, 2, 2, 1);
}

QWidget* VolumePage::buildSidePanel()
{
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(presets_);
    sideLayout->addWidget(volumePresets_);
    sideLayout->addWidget(details_);
    sideLayout->addWidget(buildOverlayControls());
    sideLayout->addWidget(new QLabel(tr("Reference:")));
    sideLayout->addWidget(reference_);
    sideLayout->addWidget(new QLabel(tr("Load report:")));
    sideLayout->addWidget(warnings_, 1);
    for (QComboBox* box : {presets_, volumePresets_, source_, colormap_}) { // long entries elide in the box, not widen it
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    auto* scroll = new QScrollArea; // a short window scrolls the controls, never clips them
    scroll->setObjectName("volumeControls");
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFixedWidth(side->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 4);
    return scroll;
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

void VolumePage::addWarnings(const std::vector<std::string>& warnings)
{
    for (const std::string& w : warnings)
        warnings_->addItem(QString::fromStdString(w));
}

void VolumePage::setRunReport(const std::vector<std::string>& lines)
{
    for (int i = warnings_->count() - 1; i >= 0; --i)
        if (warnings_->item(i)->data(Qt::UserRole).toBool())
            delete warnings_->takeItem(i);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto* item = new QListWidgetItem(QString::fromStdString(lines[i]));
        item->setData(Qt::UserRole, true); // the run's: replaced by the next run's
        warnings_->insertItem(static_cast<int>(i), item);
    }
}

widgets::SliceView* VolumePage::view(Plane plane) const
{
    return views_[plane == Plane::Axial ? 0 : plane == Plane::Coronal ? 1 : 2];
}

QWidget* VolumePage::buildOverlayControls()
{
    auto* box = new QWidget;
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    source_->setObjectName("overlaySource");
    colormap_->setObjectName("overlayColormap");
    for (const std::string& n : Colormap::names())
        colormap_->addItem(QString::fromStdString(n));
    colormap_->setCurrentText(state_->overlayStyle().colormap);
    opacity_->setObjectName("overlayOpacity");
    threshold_->setObjectName("overlayThreshold");
    opacity_->setRange(0, 100);
    threshold_->setRange(0, 100);
    opacity_->setValue(static_cast<int>(state_->overlayStyle().opacity * 100));
    threshold_->setValue(static_cast<int>(state_->overlayStyle().threshold * 100));
    form->addRow(tr("Overlay"), source_);
    form->addRow(tr("Colormap"), colormap_);
    form->addRow(tr("Opacity"), opacity_);
    form->addRow(tr("Threshold"), threshold_);
    labels_ = new QLabel;
    labels_->setObjectName("labelLegend");
    labels_->setWordWrap(true);
    labels_->setVisible(false);
    form->addRow(labels_);
    connect(state_, &widgets::VolumeState::labelsChanged, this, &VolumePage::showLabels);
    connect(source_, &QComboBox::currentIndexChanged, this, &VolumePage::overlaySourceChanged);
    connect(colormap_, &QComboBox::currentIndexChanged, this, &VolumePage::applyStyle);
    connect(opacity_, &QSlider::valueChanged, this, &VolumePage::applyStyle);
    connect(threshold_, &QSlider::valueChanged, this, &VolumePage::applyStyle);
    return box;
}

void VolumePage::showLabels()
{
    QString html;
    for (int v = 1; v < state_->labelNames().size(); ++v)
        html += QString("<span style='color:%1'>&#9632;</span> %2 %3<br>")
                    .arg(QColor::fromRgb(widgets::labelColour(v)).name())
                    .arg(v)
                    .arg(state_->labelNames()[v].toHtmlEscaped());
    if (state_->region())
        html += QString("<span style='color:#ffe020'>&#9633;</span> %1").arg(state_->regionLabel().toHtmlEscaped());
    labels_->setText(html.isEmpty() ? QString() : tr("Outlines:") + "<br>" + html);
    labels_->setVisible(!html.isEmpty());
}

void VolumePage::applyStyle()
{
    state_->setOverlayStyle({colormap_->currentText(), opacity_->value() / 100.0, threshold_->value() / 100.0});
}

void VolumePage::setSources(int layers, int heads, bool cls)
{
    if (cls)
        widgets::fillHeadChoices(source_, tr("Rollout from [CLS]"), layers, heads, tr("Layer %1, head %2, from [CLS]"));
    else
        widgets::fillHeadChoices(source_, tr("Rollout, attention received"), layers, heads, tr("Layer %1, head %2, attention received"));
}

namespace {

QJsonArray jsonOf(const std::array<double, 3>& v)
{
    return {v[0], v[1], v[2]};
}

bool readTriple(const QJsonValue& value, std::array<double, 3>& v)
{
    const QJsonArray a = value.toArray();
    if (a.size() != 3 || !a[0].isDouble() || !a[1].isDouble() || !a[2].isDouble())
        return false;
    v = {a[0].toDouble(), a[1].toDouble(), a[2].toDouble()};
    return true;
}

} // namespace

QJsonObject VolumePage::saveDisplay() const
{
    QJsonObject display{{"preset", volumePresets_->currentData().toInt()}, {"colormap", colormap_->currentText()},
                        {"opacity", opacity_->value()}, {"threshold", threshold_->value()}};
    if (const auto c = render_->camera())
        display["camera"] = QJsonObject{{"position", jsonOf(c->position)}, {"focal_point", jsonOf(c->focalPoint)},
                                        {"view_up", jsonOf(c->viewUp)}, {"view_angle", c->viewAngle}};
    return display;
}

void VolumePage::restoreDisplay(const QJsonObject& display)
{
    const int preset = volumePresets_->findData(display.value("preset").toInt());
    if (preset >= 0)
        volumePresets_->setCurrentIndex(preset);
    if (colormap_->findText(display.value("colormap").toString()) >= 0)
        colormap_->setCurrentText(display.value("colormap").toString());
    opacity_->setValue(display.value("opacity").toInt(opacity_->value()));
    threshold_->setValue(display.value("threshold").toInt(threshold_->value()));
    const QJsonObject camera = display.value("camera").toObject();
    widgets::CameraPose pose;
    if (readTriple(camera.value("position"), pose.position) && readTriple(camera.value("focal_point"), pose.focalPoint)
        && readTriple(camera.value("view_up"), pose.viewUp) && camera.value("view_angle").isDouble()) {
        pose.viewAngle = camera.value("view_angle").toDouble();
        render_->setCamera(pose);
    }
}

void VolumePage::showSource(int layer, int head)
{
    const int index = source_->findData(QPoint(layer, head));
    if (index < 0)
        return;
    const QSignalBlocker block(source_);
    source_->setCurrentIndex(index);
}

OverlaySource VolumePage::overlaySource() const
{
    const QPoint p = source_->currentData().toPoint();
    OverlaySource s;
    s.rollout = p.x() < 0;
    s.layer = std::max(0, p.x());
    s.head = std::max(0, p.y());
    return s;
}

} // namespace attn::kinds
