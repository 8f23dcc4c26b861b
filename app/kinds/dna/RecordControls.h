#pragma once
/// @file RecordControls.h
/// Which FASTA record to run, and which window of it when it is longer than the model takes
/// (first base and length; bases are never cut silently).

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QSpinBox;

namespace attn::kinds {

/// Record chooser and window controls.
class RecordControls : public QWidget {
    Q_OBJECT
public:
    explicit RecordControls(QWidget* parent = nullptr);

    /// Lists records (names and lengths); the model's input limit decides the window.
    void setRecords(const QStringList& names, const std::vector<int>& lengths, int maxBases);
    /// Selected record index.
    int currentRecord() const;
    /// Selects a record.
    void setCurrentRecord(int index);
    /// First base (0-based) of the window run for the current record (0 without a window).
    int windowStart() const;
    /// Bases in the window (the model's maximum unless the user chose fewer).
    int windowLength() const;
    /// Chooses the window (0-based first base, length) where the record has one.
    void setWindow(int start, int length);
    /// Why a window is offered ("" when the record fits).
    QString windowMessage() const;

signals:
    /// The record or window changed.
    void changed();

private:
    void updateWindowControls();

    QComboBox* records_;
    QSpinBox* windowStart_;
    QSpinBox* windowLength_;
    QLabel* windowLabel_;
    std::vector<int> lengths_;
    int maxBases_ = 0;
};

} // namespace attn::kinds
