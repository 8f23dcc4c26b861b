#include "gui/ExplorerPage.h"

#include "common/HeadChoices.h"
#include "common/SourceChooser.h"
#include "faithfulness/FaithfulnessView.h"
#include "rundir/RunExport.h"
#include "map/AttentionMapView.h"
#include "tokens/TokenView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace attn::app {
namespace {

/// The kind's controls in one row that scrolls sideways when the page is narrower than they
/// are, so that no kind's controls ever make the window wider.
class ControlsArea : public QScrollArea {
public:
    ControlsArea()
    {
        setObjectName("kindControlsArea");
        setFrameShape(QFrame::NoFrame);
        setWidgetResizable(true);
        setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    QSize sizeHint() const override { return {widget() ? widget()->sizeHint().width() : 0, neededHeight()}; }
    QSize minimumSizeHint() const override { return {80, neededHeight()}; }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QScrollArea::resizeEvent(event);
        if (neededHeight() != height())
            updateGeometry(); // the scroll bar came or went
    }

private:
    int neededHeight() const
    {
        if (!widget() || widget()->isHidden())
            return 0;
        const bool scrolls = widget()->minimumSizeHint().width() > viewport()->width();
        return widget()->sizeHint().height() + (scrolls ? horizontalScrollBar()->sizeHint().height() : 0);
    }
};

} // namespace

ExplorerPage::ExplorerPage(widgets::ExplorerState* state, QWidget* parent)
    : QWidget(parent), compare_(new QComboBox), controlsRow_(new QHBoxLayout), controlsArea_(new ControlsArea), run_(new QPushButton(tr("Run"))),
      cancel_(new QPushButton(tr("Cancel"))), progress_(new QProgressBar), prediction_(new QLabel), message_(new QLabel),
      tabs_(new QTabWidget), map_(new widgets::AttentionMapView(state)), tokens_(new widgets::TokenView(state)),
      faithfulness_(new widgets::FaithfulnessView(state)), source_(new widgets::SourceChooser(state))
{
    setObjectName("explorerPage");
    run_->setObjectName("runButton");
    cancel_->setObjectName("cancelButton");
    progress_->setObjectName("runProgress");
    prediction_->setObjectName("prediction");
    prediction_->setWordWrap(true);
    message_->setObjectName("runMessage");
    message_->setWordWrap(true);
    progress_->setMaximumWidth(180);
    progress_->setTextVisible(true);
    tabs_->setObjectName("centreTabs");
    controlsRow_->addWidget(controlsArea_, 1);
    controlsRow_->addWidget(run_);
    controlsRow_->addWidget(cancel_);
    controlsRow_->addWidget(progress_);
    tabs_->addTab(buildMapTab(), tr("Attention map"));
    tabs_->addTab(buildTokenTab(), tr("Tokens"));
    faithfulness_->setObjectName("faithfulnessTab");
    tabs_->addTab(faithfulness_, tr("Faithfulness"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controlsRow_);
    layout->addWidget(prediction_);
    layout->addWidget(message_);
    layout->addWidget(tabs_, 1);
    connect(run_, &QPushButton::clicked, this, &ExplorerPage::runRequested);
    connect(cancel_, &QPushButton::clicked, this, &ExplorerPage::cancelRequested);
    setRunning(false);
    setMessage(QString());
    setState(state);
}

void ExplorerPage::setState(widgets::ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    map_->setState(state);
    tokens_->setState(state);
    faithfulness_->setState(state);
    source_->setState(state);
    connect(state_, &widgets::ExplorerState::runChanged, this, [this] {
        showPrediction();
        fillComparison();
    });
    connect(state_, &widgets::ExplorerState::appearanceChanged, this, &ExplorerPage::fillComparison);
    showPrediction();
    fillComparison();
}

void ExplorerPage::addViewTab(QWidget* view, const QString& title)
{
    tabs_->addTab(view, title);
}

void ExplorerPage::setInput(const QString& input, const QString& idleHint)
{
    input_ = input;
    idleHint_ = idleHint;
    showPrediction();
}

QWidget* ExplorerPage::buildMapTab()
{
    auto* mapPage = new QWidget;
    QComboBox* compare = compare_;
    compare->setObjectName("compareBox");
    compare->setToolTip(tr("Show the selected head minus another head, on a diverging colormap"));
    auto* compareRow = new QHBoxLayout;
    compareRow->addWidget(source_);
    compareRow->addWidget(new QLabel(tr("Subtract head")));
    compareRow->addWidget(compare);
    compareRow->addStretch(1);
    auto* mapLayout = new QVBoxLayout(mapPage);
    mapLayout->setContentsMargins(0, 4, 0, 0);
    mapLayout->addLayout(compareRow);
    mapLayout->addWidget(map_, 1);
    connect(compare, &QComboBox::currentIndexChanged, this, [this, compare] {
        const QPoint p = compare->currentData().toPoint();
        state_->setComparison(p.x(), p.y());
    });
    return mapPage;
}

void ExplorerPage::fillComparison()
{
    const QSignalBlocker block(compare_);
    widgets::fillHeadChoices(compare_, tr("none"), state_->run().layers(), state_->run().heads(), tr("layer %1, head %2"));
    const int at = compare_->findData(QPoint(state_->compareLayer(), state_->compareHead()));
    compare_->setCurrentIndex(std::max(0, at));
}

QWidget* ExplorerPage::buildTokenTab()
{
    auto* tokenPage = new QWidget;
    auto* allHeads = new QCheckBox(tr("All heads of the layer, each in its own colour"));
    allHeads->setObjectName("allHeadsBox");
    connect(allHeads, &QCheckBox::toggled, tokens_, &widgets::TokenView::setAllHeads);
    auto* tokenLayout = new QVBoxLayout(tokenPage);
    tokenLayout->setContentsMargins(0, 4, 0, 0);
    tokenLayout->addWidget(allHeads);
    tokenLayout->addWidget(tokens_, 1);
    return tokenPage;
}

void ExplorerPage::showKind(QWidget* controls, const std::vector<std::pair<QString, QWidget*>>& tabs)
{
    if (QWidget* previous = controlsArea_->takeWidget()) // hidden, not deleted: its workspace owns it
        previous->hide();
    if (controls) {
        controlsArea_->setWidget(controls);
        controls->show();
    }
    controlsArea_->updateGeometry();
    for (QWidget* t : kindTabs_)
        tabs_->removeTab(tabs_->indexOf(t));
    kindTabs_.clear();
    for (std::size_t i = 0; i < tabs.size(); ++i) {
        tabs_->insertTab(static_cast<int>(i), tabs[i].second, tabs[i].first);
        kindTabs_.push_back(tabs[i].second);
    }
    tabs_->setCurrentIndex(0);
}

void ExplorerPage::setRunning(bool running)
{
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    progress_->setVisible(running);
    if (running) {
        progress_->setRange(0, 0);
        progress_->setFormat(tr("starting"));
    }
}

void ExplorerPage::setProgress(int done, int total, const QString& what)
{
    progress_->setRange(0, total);
    progress_->setValue(done);
    progress_->setFormat(what);
}

void ExplorerPage::setMessage(const QString& text)
{
    message_->setText(text);
    message_->setVisible(!text.isEmpty());
}

namespace {

/// "ei 0.801, ie 0.150, n 0.049" for class logits.
QString classProbabilities(const Vector& logits, const QStringList& labels)
{
    const Vector p = probabilities(logits);
    QStringList parts;
    for (Index i = 0; i < p.size(); ++i)
        parts << QString("%1 %2").arg(i < labels.size() ? labels[static_cast<int>(i)] : QString::number(i)).arg(static_cast<double>(p(i)), 0, 'f', 3);
    return parts.join(", ");
}

/// Where a detail of the comparison goes in the line: a number of the original run, then of the
/// changed one, then the others, then the deltas ("long range precision original 0.031, ... changed 0.027, Δ...").
int detailRank(const std::string& key)
{
    const auto endsWith = [&key](const std::string& end) { return key.size() >= end.size() && key.compare(key.size() - end.size(), end.size(), end) == 0; };
    if (endsWith("original"))
        return 0;
    if (endsWith("changed") || endsWith("intervened"))
        return 1;
    return key.rfind("delta_", 0) == 0 ? 3 : 2;
}

/// The prediction panel's second line: what the interventions changed, the unchanged prediction
/// beside the changed one and the metric's change (KL, Δlogit, Δlog-likelihood, Dice).
QString comparisonText(const PredictionComparison& c, const QStringList& labels, bool classes)
{
    QString text = QObject::tr("<span style='color:#b45000'><b>intervened: %1</b></span>").arg(QString::fromStdString(c.interventions).toHtmlEscaped());
    if (classes) {
        const auto logits = [](const PredictionValues& v) { return Vector(Eigen::Map<const Vector>(v.data(), static_cast<Index>(v.size()))); };
        text += QObject::tr(" — original: %1; intervened: %2").arg(classProbabilities(logits(c.base), labels).toHtmlEscaped(),
                                                                 classProbabilities(logits(c.changed), labels).toHtmlEscaped());
    }
    QStringList numbers{QString("%1 = %2").arg(QString::fromStdString(c.metric).toHtmlEscaped()).arg(c.change, 0, 'g', 4)};
    std::vector<std::pair<std::string, double>> details(c.details.begin(), c.details.end());
    std::stable_sort(details.begin(), details.end(), [](const auto& a, const auto& b) { return detailRank(a.first) < detailRank(b.first); });
    for (const auto& [key, value] : details)
        if (key != "predicted_class")
            numbers << QString("%1 %2").arg(QString::fromStdString(key).replace("delta_", "Δ").replace('_', ' ')).arg(value, 0, 'g', 4);
    return text + " — " + numbers.join(", ");
}

} // namespace

void ExplorerPage::showPrediction()
{
    if (!state_->hasRun()) { // the open input, and what to do; never a previous input's result
        prediction_->setText(input_.isEmpty() ? QString() : tr("<b>%1</b>: %2").arg(input_.toHtmlEscaped(), idleHint_.toHtmlEscaped()));
        return;
    }
    const auto& run = state_->run();
    QString title = "<b>" + run.name.toHtmlEscaped() + "</b>"; // the header names the input it describes
    if (!input_.isEmpty() && !run.name.contains(input_))
        title += tr(" in %1").arg(input_.toHtmlEscaped());
    const bool classes = run.result->logits.size() > 0;
    QString text;
    if (!classes) { // a language model (proteins): no class to predict
        text = tr("%1: %n token(s)", "", run.length()).arg(title);
    } else {
        const Vector p = probabilities(run.result->logits);
        Index best = 0;
        for (Index i = 1; i < p.size(); ++i)
            best = p(i) > p(best) ? i : best;
        const QString label = best < run.labels.size() ? run.labels[static_cast<int>(best)] : QString::number(best);
        text = tr("%1: predicted <b>%2</b> (%3)").arg(title, label.toHtmlEscaped(), classProbabilities(run.result->logits, run.labels).toHtmlEscaped());
    }
    if (run.comparison)
        text += "<br>" + comparisonText(*run.comparison, run.labels, classes);
    prediction_->setText(text);
}

} // namespace attn::app
