#include "gui/ExplorerPage.h"

#include "map/AttentionMapView.h"
#include "tokens/TokenView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace attn::app {

ExplorerPage::ExplorerPage(widgets::ExplorerState* state, QWidget* parent)
    : QWidget(parent), state_(state), records_(new QComboBox), windowStart_(new QSpinBox), windowLength_(new QSpinBox), windowLabel_(new QLabel),
      run_(new QPushButton(tr("Run"))), cancel_(new QPushButton(tr("Cancel"))), progress_(new QProgressBar),
      prediction_(new QLabel), message_(new QLabel), tabs_(new QTabWidget), map_(new widgets::AttentionMapView(state)),
      tokens_(new widgets::TokenView(state))
{
    setObjectName("explorerPage");
    records_->setObjectName("recordBox");
    records_->setMinimumContentsLength(16);
    windowStart_->setObjectName("windowStart");
    windowStart_->setToolTip(tr("First base (1-based) of the window run when a record is longer than the model takes"));
    windowLength_->setObjectName("windowLength");
    windowLength_->setToolTip(tr("Bases in the window (at most what the model takes)"));
    connect(windowLength_, &QSpinBox::valueChanged, this, [this] { // the last start that still fits
        const int i = records_->currentIndex();
        if (i >= 0 && i < static_cast<int>(lengths_.size()))
            windowStart_->setMaximum(lengths_[static_cast<std::size_t>(i)] - windowLength_->value() + 1);
    });
    run_->setObjectName("runButton");
    cancel_->setObjectName("cancelButton");
    progress_->setObjectName("runProgress");
    prediction_->setObjectName("prediction");
    message_->setObjectName("runMessage");
    message_->setWordWrap(true);
    progress_->setMaximumWidth(180);
    progress_->setTextVisible(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Record")));
    controls->addWidget(records_, 1);
    controls->addWidget(windowLabel_);
    controls->addWidget(windowStart_);
    controls->addWidget(windowLength_);
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    controls->addWidget(progress_);
    auto* mapPage = new QWidget;
    auto* compare = new QComboBox;
    compare->setObjectName("compareBox");
    compare->setToolTip(tr("Show the selected head minus another head, on a diverging colormap"));
    auto* compareRow = new QHBoxLayout;
    compareRow->addWidget(new QLabel(tr("Subtract head")));
    compareRow->addWidget(compare);
    compareRow->addStretch(1);
    auto* mapLayout = new QVBoxLayout(mapPage);
    mapLayout->setContentsMargins(0, 4, 0, 0);
    mapLayout->addLayout(compareRow);
    mapLayout->addWidget(map_, 1);
    tabs_->addTab(mapPage, tr("Attention map"));
    connect(state_, &widgets::ExplorerState::runChanged, compare, [this, compare] {
        const QSignalBlocker block(compare);
        compare->clear();
        compare->addItem(tr("none"), QPoint(-1, -1));
        for (int l = 0; l < state_->run().layers(); ++l)
            for (int h = 0; h < state_->run().heads(); ++h)
                compare->addItem(tr("layer %1, head %2").arg(l).arg(h), QPoint(l, h));
        const int at = compare->findData(QPoint(state_->compareLayer(), state_->compareHead()));
        compare->setCurrentIndex(std::max(0, at));
    });
    connect(compare, &QComboBox::currentIndexChanged, this, [this, compare] {
        const QPoint p = compare->currentData().toPoint();
        state_->setComparison(p.x(), p.y());
    });
    auto* tokenPage = new QWidget;
    auto* allHeads = new QCheckBox(tr("All heads of the layer, each in its own colour"));
    allHeads->setObjectName("allHeadsBox");
    connect(allHeads, &QCheckBox::toggled, tokens_, &widgets::TokenView::setAllHeads);
    auto* tokenLayout = new QVBoxLayout(tokenPage);
    tokenLayout->setContentsMargins(0, 4, 0, 0);
    tokenLayout->addWidget(allHeads);
    tokenLayout->addWidget(tokens_, 1);
    tabs_->addTab(tokenPage, tr("Tokens"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(prediction_);
    layout->addWidget(message_);
    layout->addWidget(tabs_, 1);
    connect(run_, &QPushButton::clicked, this, &ExplorerPage::runRequested);
    connect(cancel_, &QPushButton::clicked, this, &ExplorerPage::cancelRequested);
    connect(records_, &QComboBox::currentIndexChanged, this, [this] {
        updateWindowControls();
        emit runRequested();
    });
    connect(state_, &widgets::ExplorerState::runChanged, this, &ExplorerPage::showPrediction);
    setRunning(false);
    updateWindowControls();
}

void ExplorerPage::setRecords(const QStringList& names, const std::vector<int>& lengths, int maxBases)
{
    lengths_ = lengths;
    maxBases_ = maxBases;
    const QSignalBlocker block(records_);
    records_->clear();
    records_->addItems(names);
    updateWindowControls();
}

int ExplorerPage::currentRecord() const
{
    return records_->currentIndex();
}

void ExplorerPage::setCurrentRecord(int index)
{
    records_->setCurrentIndex(index);
}

int ExplorerPage::windowStart() const
{
    return windowStart_->isEnabled() ? windowStart_->value() - 1 : 0;
}

int ExplorerPage::windowLength() const
{
    return windowLength_->isEnabled() ? windowLength_->value() : maxBases_;
}

void ExplorerPage::updateWindowControls()
{
    const int i = records_->currentIndex();
    const int length = i >= 0 && i < static_cast<int>(lengths_.size()) ? lengths_[static_cast<std::size_t>(i)] : 0;
    const bool tooLong = maxBases_ > 0 && length > maxBases_;
    for (QWidget* w : {static_cast<QWidget*>(windowStart_), static_cast<QWidget*>(windowLength_)}) {
        w->setEnabled(tooLong);
        w->setVisible(tooLong);
    }
    windowLabel_->setVisible(tooLong);
    if (tooLong) {
        const QSignalBlocker block(windowLength_);
        windowLength_->setRange(1, maxBases_);
        windowLength_->setValue(maxBases_);
        windowStart_->setRange(1, length - maxBases_ + 1);
        windowLabel_->setText(tr("window: first base, length"));
        setMessage(tr("This record has %1 bases but the model takes at most %2: choose which window to run "
                      "(bases are never cut silently).").arg(length).arg(maxBases_));
    } else {
        setMessage(QString());
    }
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

void ExplorerPage::showPrediction()
{
    if (!state_->hasRun()) {
        prediction_->clear();
        return;
    }
    const auto& run = state_->run();
    const Vector& logits = run.result->logits;
    const Vector p = (logits.array() - logits.maxCoeff()).exp().matrix();
    const float sum = p.sum();
    QStringList parts;
    Index best = 0;
    for (Index i = 0; i < p.size(); ++i) {
        if (p(i) > p(best))
            best = i;
        parts << QString("%1 %2").arg(i < run.labels.size() ? run.labels[static_cast<int>(i)] : QString::number(i))
                     .arg(static_cast<double>(p(i) / sum), 0, 'f', 3);
    }
    prediction_->setText(tr("<b>%1</b>: predicted <b>%2</b> (%3)")
                             .arg(run.name.toHtmlEscaped(),
                                  best < run.labels.size() ? run.labels[static_cast<int>(best)] : QString::number(best),
                                  parts.join(", ")));
}

} // namespace attn::app
