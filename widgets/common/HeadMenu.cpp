#include "common/HeadMenu.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSlider>
#include <QStringList>
#include <QWidgetAction>

#include <cmath>

namespace attn::widgets {
namespace {

/// Slider steps of log2(T) / 4: T from 1/4 to 4.
constexpr int kTemperatureSteps = 8;

float temperatureAt(int step)
{
    return std::pow(2.0f, static_cast<float>(step) / 4.0f);
}

void addEdit(QMenu* menu, ExplorerState& state, const HeadEdit& edit, const QString& text, const QString& name)
{
    QAction* a = menu->addAction(text, [&state, edit] { state.requestHeadEdit(edit); });
    a->setObjectName(name);
}

/// A slider of T (1/4 to 4, 1 in the middle) that asks for the edit once released.
void addTemperature(QMenu* menu, ExplorerState& state, int layer, int head)
{
    auto* box = new QWidget(menu);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(24, 2, 8, 2);
    auto* label = new QLabel(QObject::tr("Temperature T = 1.00"), box);
    auto* slider = new QSlider(Qt::Horizontal, box);
    slider->setObjectName("temperatureSlider");
    slider->setRange(-kTemperatureSteps, kTemperatureSteps);
    slider->setValue(0);
    slider->setMinimumWidth(140);
    slider->setToolTip(QObject::tr("The head's logits are divided by T before the softmax: T > 1 flattens it, T < 1 sharpens it"));
    row->addWidget(label);
    row->addWidget(slider);
    QObject::connect(slider, &QSlider::valueChanged, label,
                     [label](int v) { label->setText(QObject::tr("Temperature T = %1").arg(static_cast<double>(temperatureAt(v)), 0, 'f', 2)); });
    QObject::connect(slider, &QSlider::sliderReleased, menu, [menu, slider, &state, layer, head] {
        if (slider->value() != 0)
            state.requestHeadEdit({layer, head, AttentionPart::Main, HeadEditKind::Temperature, temperatureAt(slider->value())});
        menu->close();
    });
    auto* action = new QWidgetAction(menu);
    action->setDefaultWidget(box);
    menu->addAction(action);
}

} // namespace

QString editTag(const HeadEdit& edit)
{
    switch (edit.kind) {
    case HeadEditKind::Zero: return "0";
    case HeadEditKind::Mean: return "mean";
    case HeadEditKind::Uniform: return "unif";
    case HeadEditKind::Temperature: return QString("T%1").arg(static_cast<double>(edit.value), 0, 'g', 3);
    case HeadEditKind::Scale: return QString("x%1").arg(static_cast<double>(edit.value), 0, 'g', 3);
    case HeadEditKind::CopyHead: return QString("=H%1").arg(static_cast<int>(edit.value));
    }
    return "?";
}

QString editTags(const ExplorerState& state, int layer, int head)
{
    QStringList tags;
    for (const HeadEdit& e : state.run().editsOf(layer, head))
        tags << editTag(e);
    return tags.join(' ');
}

QMenu* headMenu(ExplorerState& state, int layer, int head, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName("headMenu");
    QAction* title = menu->addAction(QObject::tr("Layer %1, head %2").arg(layer).arg(head));
    title->setEnabled(false);
    menu->addSeparator();
    addEdit(menu, state, {layer, head, AttentionPart::Main, HeadEditKind::Zero, 1.0f}, QObject::tr("Ablate: zero its output"), "ablateZero");
    addEdit(menu, state, {layer, head, AttentionPart::Main, HeadEditKind::Mean, 1.0f}, QObject::tr("Ablate: its mean output"), "ablateMean");
    addEdit(menu, state, {layer, head, AttentionPart::Main, HeadEditKind::Uniform, 1.0f}, QObject::tr("Ablate: uniform attention"),
            "ablateUniform");
    addTemperature(menu, state, layer, head);
    menu->addSeparator();
    QAction* restore = menu->addAction(QObject::tr("Restore this head"), [&state, layer, head] { state.requestHeadRestore(layer, head); });
    restore->setObjectName("restoreHead");
    restore->setEnabled(!state.run().editsOf(layer, head).empty());
    QAction* all = menu->addAction(QObject::tr("Restore every head"), [&state] { state.requestHeadRestore(-1, -1); });
    all->setObjectName("restoreAll");
    all->setEnabled(!state.run().edits.empty());
    return menu;
}

void execHeadMenu(ExplorerState& state, int layer, int head, const QPoint& globalPos, QWidget* parent)
{
    if (!state.hasRun() || layer < 0 || head < 0 || layer >= state.run().layers() || head >= state.run().heads())
        return;
    QMenu* menu = headMenu(state, layer, head, parent);
    menu->exec(globalPos);
    delete menu;
}

} // namespace attn::widgets
