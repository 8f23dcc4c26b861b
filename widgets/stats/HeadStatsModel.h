#pragma once
/// @file HeadStatsModel.h
/// The per-head statistics (attn::headStatistics) as a table: one row per head, one column
/// per statistic. Display text is rounded; SortRole holds the number, so a proxy sorting on
/// SortRole orders numerically, not by text.

#include "interpret/HeadStatistics.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace attn::widgets {

/// Table model of HeadStats, rows in the order given (layer, then head).
class HeadStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// The columns, in order.
    enum Column { Layer, Head, Entropy, MaxEntropy, MeanDistance, ClsMass, PaddingMass, ScoreSpread, Temperature, ColumnCount };
    /// Role holding a cell's value as a double (for numeric sorting).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit HeadStatsModel(QObject* parent = nullptr);

    /// Replaces the statistics shown (resets the model); distances are in `distanceUnit`
    /// (the run's token axis: bases, mm, residues, days).
    void setStats(std::vector<HeadStats> stats, QString distanceUnit = "tokens");
    /// Unit of the mean distance column.
    const QString& distanceUnit() const { return distanceUnit_; }
    /// The statistics shown.
    const std::vector<HeadStats>& stats() const { return stats_; }
    /// Row of one head, or -1 when it has none (layer not kept).
    int rowOf(int layer, int head) const;

    /// Value of one column of one head's statistics (layer and head as numbers).
    static double value(const HeadStats& stats, int column);
    /// Header text of a column, e.g. "Entropy (bits)".
    static QString title(int column);
    /// Machine name of a column for CSV export, e.g. "entropy_bits".
    static QString key(int column);
    /// What a column means (header tool tip).
    static QString description(int column);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<HeadStats> stats_;
    QString distanceUnit_ = "tokens";
};

} // namespace attn::widgets
