#include "kinds/ct/ReferencePanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>

namespace attn::kinds {

ReferencePanel::ReferencePanel(QWidget* parent)
    : QWidget(parent), open_(new QPushButton(tr("Open reference…"))), clear_(new QPushButton(tr("Remove"))), label_(new QLabel),
      segments_(new QComboBox), level_(new QDoubleSpinBox), agreement_(new QLabel)
{
    setObjectName("referencePanel");
    open_->setToolTip(tr("A DICOM SEG, an RT dose or a NIfTI mask drawn on this study, shown as a green outline"));
    segments_->setObjectName("referenceSegment");
    level_->setObjectName("referenceLevel");
    level_->setDecimals(3);
    agreement_->setObjectName("referenceAgreement");
    agreement_->setWordWrap(true);
    agreement_->setTextFormat(Qt::RichText);
    label_->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_);
    buttons->addWidget(clear_);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(buttons);
    form->addRow(label_);
    form->addRow(tr("Segment"), segments_);
    form->addRow(tr("Isodose"), level_);
    form->addRow(agreement_);
    connect(open_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open reference"), QString(),
                                                          tr("DICOM SEG, RT dose or NIfTI (*.dcm *.nii *.nii.gz);;All files (*)"));
        if (!path.isEmpty())
            emit openRequested(path);
    });
    connect(clear_, &QPushButton::clicked, this, &ReferencePanel::clearRequested);
    connect(segments_, &QComboBox::activated, this, [this] { emit segmentChosen(segments_->currentData().toInt()); });
    connect(level_, &QDoubleSpinBox::editingFinished, this, [this] { emit levelChosen(level_->value()); });
    clearReference();
}

void ReferencePanel::showReference(const ReferenceVolume& r, double level, double maximum)
{
    const QSignalBlocker blockSegments(segments_), blockLevel(level_);
    label_->setText(tr("<span style='color:#20b040'>&#9632;</span> %1").arg(QString::fromStdString(r.label).toHtmlEscaped()));
    label_->setToolTip(QString::fromStdString(r.path));
    segments_->clear();
    for (const DicomSegmentInfo& s : r.segments)
        segments_->addItem(QString("%1 %2").arg(s.number).arg(QString::fromStdString(s.label)), s.number);
    segments_->setCurrentIndex(std::max(0, segments_->findData(r.segment)));
    segments_->setEnabled(r.segments.size() > 1);
    level_->setEnabled(!r.isMask);
    level_->setRange(0.0, std::max(maximum, 1e-6));
    level_->setSuffix(r.units.empty() ? QString() : " " + QString::fromStdString(r.units));
    level_->setValue(level);
    clear_->setEnabled(true);
}

void ReferencePanel::clearReference()
{
    label_->setText(tr("No reference: open a segmentation or dose drawn on this study to compare the attention with it."));
    segments_->clear();
    segments_->setEnabled(false);
    level_->setEnabled(false);
    clear_->setEnabled(false);
    agreement_->clear();
}

void ReferencePanel::showAgreement(const QString& html)
{
    agreement_->setText(html);
}

QString ReferencePanel::agreementText() const
{
    return agreement_->text();
}

} // namespace attn::kinds
