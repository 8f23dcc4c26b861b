#include "kinds/dna/RecordControls.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace attn::kinds {

RecordControls::RecordControls(QWidget* parent)
    : QWidget(parent), records_(new QComboBox), windowStart_(new QSpinBox), windowLength_(new QSpinBox), windowLabel_(new QLabel)
{
    setObjectName("recordControls");
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
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Record")));
    layout->addWidget(records_, 1);
    layout->addWidget(windowLabel_);
    layout->addWidget(windowStart_);
    layout->addWidget(windowLength_);
    connect(records_, &QComboBox::currentIndexChanged, this, [this] {
        updateWindowControls();
        emit changed();
    });
    updateWindowControls();
}

void RecordControls::setRecords(const QStringList& names, const std::vector<int>& lengths, int maxBases)
{
    lengths_ = lengths;
    maxBases_ = maxBases;
    const QSignalBlocker block(records_);
    records_->clear();
    records_->addItems(names);
    updateWindowControls();
}

int RecordControls::currentRecord() const
{
    return records_->currentIndex();
}

void RecordControls::setCurrentRecord(int index)
{
    records_->setCurrentIndex(index);
}

int RecordControls::windowStart() const
{
    return windowStart_->isEnabled() ? windowStart_->value() - 1 : 0;
}

int RecordControls::windowLength() const
{
    return windowLength_->isEnabled() ? windowLength_->value() : maxBases_;
}

void RecordControls::setWindow(int start, int length)
{
    if (!windowLength_->isEnabled())
        return;
    windowLength_->setValue(length);
    windowStart_->setValue(start + 1);
}

QString RecordControls::windowMessage() const
{
    const int i = records_->currentIndex();
    const int length = i >= 0 && i < static_cast<int>(lengths_.size()) ? lengths_[static_cast<std::size_t>(i)] : 0;
    if (maxBases_ <= 0 || length <= maxBases_)
        return {};
    return tr("This record has %1 bases but the model takes at most %2: choose which window to run "
              "(bases are never cut silently).").arg(length).arg(maxBases_);
}

void RecordControls::updateWindowControls()
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
    }
}

} // namespace attn::kinds
