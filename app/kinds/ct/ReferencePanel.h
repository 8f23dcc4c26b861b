#pragma once
/// @file ReferencePanel.h
/// The Study tab's reference controls: open a DICOM SEG, an RT dose or a NIfTI mask to see
/// beside the attention overlay; choose its segment (or label), or for a dose the isodose
/// level outlined; and read how the overlay agrees with it (mass inside against chance, the
/// pointing game).

#include "reference/ReferenceVolume.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace attn::kinds {

/// Reference file, segment or level, and the agreement read-out.
class ReferencePanel : public QWidget {
    Q_OBJECT
public:
    explicit ReferencePanel(QWidget* parent = nullptr);

    /// Shows what was loaded: its label, its segments to choose from, or for a dose (not a
    /// mask) an isodose level between 0 and `maximum`.
    void showReference(const ReferenceVolume& reference, double level, double maximum);
    /// Back to "no reference".
    void clearReference();
    /// The agreement read-out (rich text), or empty.
    void showAgreement(const QString& html);
    /// The agreement text shown (tests).
    QString agreementText() const;

signals:
    /// The user chose a file to open.
    void openRequested(const QString& path);
    /// The user chose another segment (its number).
    void segmentChosen(int number);
    /// The user changed the isodose level.
    void levelChosen(double level);
    /// The user removed the reference.
    void clearRequested();

private:
    QPushButton* open_;
    QPushButton* clear_;
    QLabel* label_;
    QComboBox* segments_;
    QDoubleSpinBox* level_;
    QLabel* agreement_;
};

} // namespace attn::kinds
