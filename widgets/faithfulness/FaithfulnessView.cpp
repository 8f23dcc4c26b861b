#include "faithfulness/FaithfulnessView.h"

#include "common/CurvePlot.h"
#include "interpret/Attributions.h"
#include "util/Error.h"

#include <QComboBox>
#include <QPushButton>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <map>

namespace attn::widgets {
namespace {

constexpr qreal kLine = 18;


/// What a computation keeps: the curves of the chosen source, and how the sources rank the tokens alike.
struct FaithfulnessResult {
    Faithfulness curves;
    std::vector<SourceCorrelation> correlations;
};

/// Every source's scores of the run's tokens: attention and rollout from the run's store; the
/// decompositions from a forward that records every layer's parts, with the run's interventions.
/// A model whose layers are not decomposed gives attention and rollout only, unless the chosen
/// method needs them (then the error names it); every family's are now (the MSA Transformer's
/// through its query row).
std::map<AttributionMethod, RowVector> sourceScores(AttributionMethod method, const RunResult& run, const Predictor& predictor,
                                                    const Interventions& edits, Progress& progress)
{
    std::vector<LayerAttribution> layers;
    try {
        layers = decomposeRun(predictor, edits, method, &progress);
    } catch (const Error&) {
        if (decomposes(method))
            throw;
    }
    return everySourceScores(run.attention, run.keyPadding, layers, predictor.readsFirstToken());
}

/// "AUC 0.10 (random 0.79 ± 0.03)".
QString aucText(double auc, const std::vector<FaithfulnessCurves>& random, double FaithfulnessCurves::*member)
{
    std::vector<std::vector<double>> values;
    for (const FaithfulnessCurves& c : random)
        values.push_back({c.*member});
    const auto [mean, sd] = curveBand(values);
    return mean.empty() ? QString("AUC %1").arg(auc, 0, 'f', 3)
                        : QString("AUC %1 (random %2 ± %3)").arg(auc, 0, 'f', 3).arg(mean[0], 0, 'f', 3).arg(sd[0], 0, 'f', 3);
}

/// "Spearman between the sources' rankings: attention~rollout 0.42, ...".
QString correlationText(const std::vector<SourceCorrelation>& correlations)
{
    QStringList pairs;
    for (const SourceCorrelation& c : correlations)
        pairs << QString("%1~%2 %3").arg(QString::fromStdString(attributionMethodName(c.a)), QString::fromStdString(attributionMethodName(c.b)),
                                         std::isnan(c.rho) ? QString("-") : QString::number(c.rho, 'f', 2));
    return QObject::tr("Spearman between the sources' rankings of these tokens: %1").arg(pairs.join(", "));
}

/// The random orders' mean of one number.
double randomMean(const Faithfulness& f, double FaithfulnessCurves::*member)
{
    double sum = 0;
    for (const FaithfulnessCurves& c : f.random)
        sum += c.*member;
    return f.random.empty() ? 0.0 : sum / static_cast<double>(f.random.size());
}

std::vector<std::vector<double>> randomCurves(const Faithfulness& f, bool deletion)
{
    std::vector<std::vector<double>> out;
    for (const FaithfulnessCurves& c : f.random)
        out.push_back(deletion ? c.deletion : c.insertion);
    return out;
}

} // namespace

FaithfulnessView::FaithfulnessView(ExplorerState* state, QWidget* parent)
    : QWidget(parent), controls_(new RunComputation(tr("Source"), {}, this))
{
    setObjectName("faithfulness");
    for (AttributionMethod m : attributionMethods())
        controls_->choiceBox()->addItem(QString::fromStdString(attributionMethodName(m)));
    controls_->choiceBox()->setObjectName("faithfulnessSource");
    controls_->choiceBox()->setToolTip(tr("The map whose ranking of the tokens is tested"));
    controls_->computeButton()->setObjectName("computeFaithfulness");
    controls_->computeButton()->setToolTip(tr("Remove the tokens in the map's order (deletion) or keep only its first ones "
                                              "(insertion), against 5 random orders"));
    connect(controls_, &RunComputation::computeRequested, this, &FaithfulnessView::compute);
    connect(controls_, &RunComputation::changed, this, &FaithfulnessView::refresh);
    setMinimumSize(300, 240);
    setState(state);
}

void FaithfulnessView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &FaithfulnessView::refresh);
    refresh();
}

const Faithfulness* FaithfulnessView::shown() const
{
    const auto* r = static_cast<const FaithfulnessResult*>(controls_->find(state_->hasRun() ? state_->run().result.get() : nullptr).get());
    return r ? &r->curves : nullptr;
}

std::vector<SourceCorrelation> FaithfulnessView::correlations() const
{
    const auto* r = static_cast<const FaithfulnessResult*>(controls_->find(state_->hasRun() ? state_->run().result.get() : nullptr).get());
    return r ? r->correlations : std::vector<SourceCorrelation>{};
}

void FaithfulnessView::compute()
{
    if (!state_->hasRun() || !state_->run().predictor || controls_->job().isRunning() || shown())
        return;
    const auto predictor = state_->run().predictor;
    const auto run = state_->run().result;
    const Interventions edits(state_->run().edits);
    const AttributionMethod method = attributionMethods().at(static_cast<std::size_t>(std::max(0, controls_->choiceBox()->currentIndex())));
    auto result = std::make_shared<FaithfulnessResult>();
    controls_->start(run, result, [predictor, run, edits, method, result](Progress& progress) {
        const std::map<AttributionMethod, RowVector> scores = sourceScores(method, *run, *predictor, edits, progress);
        result->correlations = sourceCorrelations(scores, predictor->removable());
        FaithfulnessOptions options;
        options.interventions = edits;
        result->curves = faithfulness(*predictor, scores.at(method), options, &progress);
    });
    refresh();
}

void FaithfulnessView::refresh()
{
    controls_->refresh(state_->hasRun() ? state_->run().result.get() : nullptr, state_->hasRun() && state_->run().predictor);
    update();
}

void FaithfulnessView::paintEvent(QPaintEvent*)
{
    controls_->setGeometry(0, 0, width(), controls_->sizeHint().height());
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    const qreal top = controls_->sizeHint().height() + 4;
    paintInto(p, QRectF(4, top, width() - 8, height() - top - 4));
}

void FaithfulnessView::paintInto(QPainter& painter, const QRectF& area) const
{
    const Faithfulness* f = shown();
    if (!f) {
        painter.setPen(Qt::gray);
        const QString text = !state_->hasRun()         ? tr("Deletion and insertion curves appear here after a run.")
                             : controls_->job().isRunning() ? tr("Removing tokens in the map's order and in random orders…")
                             : !state_->run().predictor ? tr("This run cannot be run again.")
                                                        : tr("Choose a source and press Compute: does the map rank the tokens the way the "
                                                             "model uses them?");
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
        return;
    }
    painter.setPen(Qt::black);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), 2 * kLine), Qt::AlignLeft | Qt::TextWordWrap,
                     tr("%1 of %2 tokens ranked by %3; a removed token becomes %4; y: %5")
                         .arg(f->removable).arg(state_->run().length()).arg(controls_->choiceBox()->currentText(), QString::fromStdString(f->replacement),
                                                                            QString::fromStdString(f->score)));
    const qreal top = area.top() + 2 * kLine, bottom = area.bottom() - 3 * kLine;
    const QRectF left(area.left(), top, area.width() / 2 - 4, bottom - top), right(area.left() + area.width() / 2 + 4, top, area.width() / 2 - 4, bottom - top);
    paintCurveWithBand(painter, left, tr("Deletion (lower is better): %1").arg(aucText(f->source.deletionAuc, f->random, &FaithfulnessCurves::deletionAuc)),
                       tr("share of tokens removed"), f->options.fractions, f->source.deletion, randomCurves(*f, true));
    paintCurveWithBand(painter, right, tr("Insertion (higher is better): %1").arg(aucText(f->source.insertionAuc, f->random, &FaithfulnessCurves::insertionAuc)),
                       tr("share of tokens kept"), f->options.fractions, f->source.insertion, randomCurves(*f, false));
    painter.setPen(Qt::black);
    painter.drawText(QRectF(area.left(), bottom, area.width(), kLine), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("ERASER AOPC at 1, 5, 10, 20, 50 %: comprehensiveness %1 (random %2), sufficiency %3 (random %4)")
                         .arg(f->source.comprehensivenessAopc, 0, 'f', 3).arg(randomMean(*f, &FaithfulnessCurves::comprehensivenessAopc), 0, 'f', 3)
                         .arg(f->source.sufficiencyAopc, 0, 'f', 3).arg(randomMean(*f, &FaithfulnessCurves::sufficiencyAopc), 0, 'f', 3));
    painter.drawText(QRectF(area.left(), bottom + kLine, area.width(), 2 * kLine), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                     correlationText(correlations()));
}

void FaithfulnessView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    paintInto(painter, QRectF(8, 8, size.width() - 16, size.height() - 16));
}

FigureData FaithfulnessView::figureData() const
{
    FigureData d;
    d.columns = {"fraction", "deletion", "insertion", "random_deletion_mean", "random_insertion_mean"};
    const Faithfulness* f = shown();
    if (!f)
        return d;
    const auto del = curveBand(randomCurves(*f, true)).first, ins = curveBand(randomCurves(*f, false)).first;
    for (std::size_t i = 0; i < f->options.fractions.size(); ++i) {
        const std::vector<double> row{f->options.fractions[i], f->source.deletion[i], f->source.insertion[i], del.empty() ? 0.0 : del[i],
                                      ins.empty() ? 0.0 : ins[i]};
        QStringList cells;
        for (double v : row)
            cells << QString::number(v, 'g', 9);
        d.rows.push_back(cells);
        for (double v : row)
            d.array.data.push_back(static_cast<float>(v));
    }
    d.array.shape = {static_cast<std::int64_t>(f->options.fractions.size()), 5};
    return d;
}

QString FaithfulnessView::figureTitle() const
{
    return titleFor("Faithfulness of " + controls_->choiceBox()->currentText(), state_->hasRun() ? state_->run().name : QString());
}

} // namespace attn::widgets
