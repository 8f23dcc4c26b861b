#include "common/SourceChooser.h"

#include "common/RunComputation.h"
#include "interpret/Predictor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace attn::widgets {
namespace {

/// The methods a map can show: a store per layer (the roll-outs are the track's and the overlay's).
const std::vector<AttributionMethod>& mapMethods()
{
    static const std::vector<AttributionMethod> methods{AttributionMethod::Attention, AttributionMethod::AttnN,
                                                        AttributionMethod::GlobEnc, AttributionMethod::Alti};
    return methods;
}

QStringList methodNames()
{
    QStringList names;
    for (AttributionMethod m : mapMethods())
        names << QString::fromStdString(attributionMethodName(m));
    return names;
}

} // namespace

SourceChooser::SourceChooser(ExplorerState* state, QWidget* parent)
    : QWidget(parent), controls_(new RunComputation(tr("Source"), methodNames())), status_(new QLabel)
{
    controls_->choiceBox()->setObjectName("mapSource");
    controls_->choiceBox()->setToolTip(tr("What the map, the token lines and the timeline's arcs show: the heads' attention, "
                                          "or per layer Attn-N (Kobayashi 2020), GlobEnc (Modarressi 2022) or ALTI (Ferrando 2022), "
                                          "which count the value vectors, the residual and the LayerNorms"));
    controls_->computeButton()->setObjectName("computeSource");
    status_->setObjectName("sourceStatus");
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(controls_);
    row->addWidget(status_, 1);
    connect(controls_, &RunComputation::computeRequested, this, &SourceChooser::compute);
    connect(controls_, &RunComputation::changed, this, &SourceChooser::apply);
    connect(controls_->choiceBox(), &QComboBox::currentIndexChanged, this, [this] {
        status_->clear(); // a failure was the previous choice's
        apply();
    });
    connect(&controls_->job(), &BackgroundJob::failed, this, [this](const QString& message) { status_->setText(message); });
    setState(state);
}

void SourceChooser::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &SourceChooser::apply);
    apply();
}

AttributionMethod SourceChooser::chosen() const
{
    return mapMethods().at(static_cast<std::size_t>(std::max(0, controls_->choiceBox()->currentIndex())));
}

void SourceChooser::compute()
{
    const AttributionMethod method = chosen();
    if (!state_->hasRun() || !state_->run().predictor || !decomposes(method) || controls_->job().isRunning())
        return;
    const auto predictor = state_->run().predictor;
    const auto run = state_->run().result;
    const Interventions edits(state_->run().edits);
    auto maps = std::make_shared<SourceMaps>();
    maps->method = method;
    maps->of = run.get();
    status_->clear();
    controls_->start(run, maps, [predictor, edits, method, maps](Progress& progress) {
        const std::vector<LayerAttribution> layers = decomposeRun(*predictor, edits, method, &progress);
        maps->store = methodStore(layers, method);
        for (const LayerAttribution& l : layers)
            maps->reconstructionErrors.push_back(l.reconstructionError);
    });
    apply();
}

QString SourceChooser::source() const
{
    return QString::fromStdString(attributionMethodName(chosen()));
}

void SourceChooser::restore(const QString& source)
{
    controls_->choiceBox()->setCurrentIndex(std::max(0, controls_->choiceBox()->findText(source)));
    compute();
}

void SourceChooser::apply()
{
    const RunResult* run = state_->hasRun() ? state_->run().result.get() : nullptr;
    const bool decomposition = decomposes(chosen());
    auto maps = decomposition ? std::static_pointer_cast<const SourceMaps>(controls_->find(run)) : nullptr;
    state_->setSourceMaps(maps);
    controls_->refresh(run, decomposition && run && state_->run().predictor);
    controls_->computeButton()->setVisible(decomposition);
    if (!decomposition || maps)
        status_->clear();
    else if (!controls_->job().isRunning() && status_->text().isEmpty() && run)
        status_->setText(state_->run().predictor ? tr("press Compute: one more forward") : tr("this run cannot be run again"));
}

} // namespace attn::widgets
