#include "stats/HeadStatsModel.h"

#include <array>
#include <cmath>

namespace attn::widgets {
namespace {

struct ColumnInfo {
    const char* title;
    const char* key;
    const char* description;
};

constexpr std::array<ColumnInfo, HeadStatsModel::ColumnCount> kColumns{{
    {"Layer", "layer", "Layer index"},
    {"Head", "head", "Head index within the layer"},
    {"Entropy (bits)", "entropy_bits", "Mean entropy of the query rows: 0 when each query looks at one key"},
    {"Max entropy", "max_entropy_bits", "Entropy of uniform attention over the non-padded keys (bits)"},
    {"Mean distance", "mean_distance", "Mean attended distance sum_j a_ij d(i, j) between tokens placed in the input"},
    {"[CLS] mass", "cls_mass", "Mean weight on the [CLS] token"},
    {"Padding mass", "padding_mass", "Mean weight on padded keys (0 when the mask is applied)"},
    {"Score spread", "score_spread", "Mean standard deviation sigma of the scaled pre-softmax scores"},
    {"Temperature", "temperature", "Effective temperature 1 / sigma: low for sharp heads, high for diffuse ones"},
}};

bool validColumn(int column)
{
    return column >= 0 && column < HeadStatsModel::ColumnCount;
}

} // namespace

HeadStatsModel::HeadStatsModel(QObject* parent) : QAbstractTableModel(parent) {}

void HeadStatsModel::setStats(std::vector<HeadStats> stats, QString distanceUnit)
{
    beginResetModel();
    stats_ = std::move(stats);
    distanceUnit_ = std::move(distanceUnit);
    endResetModel();
}

int HeadStatsModel::rowOf(int layer, int head) const
{
    for (std::size_t r = 0; r < stats_.size(); ++r)
        if (stats_[r].layer == layer && stats_[r].head == head)
            return static_cast<int>(r);
    return -1;
}

double HeadStatsModel::value(const HeadStats& s, int column)
{
    switch (column) {
    case Layer: return s.layer;
    case Head: return s.head;
    case Entropy: return s.entropyBits;
    case MaxEntropy: return s.maxEntropyBits;
    case MeanDistance: return s.meanDistance;
    case ClsMass: return s.clsMass;
    case PaddingMass: return s.paddingMass;
    case ScoreSpread: return s.scoreSpread;
    case Temperature: return s.temperature;
    default: return std::nan("");
    }
}

QString HeadStatsModel::title(int column)
{
    return validColumn(column) ? QString(kColumns[static_cast<std::size_t>(column)].title) : QString();
}

QString HeadStatsModel::key(int column)
{
    return validColumn(column) ? QString(kColumns[static_cast<std::size_t>(column)].key) : QString();
}

QString HeadStatsModel::description(int column)
{
    return validColumn(column) ? QString(kColumns[static_cast<std::size_t>(column)].description) : QString();
}

int HeadStatsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(stats_.size());
}

int HeadStatsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeadStatsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || !validColumn(index.column()))
        return {};
    const double v = value(stats_[static_cast<std::size_t>(index.row())], index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Layer || index.column() == Head)
            return QString::number(static_cast<int>(v));
        return std::isinf(v) ? QString("inf") : QString::number(v, 'f', 3);
    case SortRole:
        return v;
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant HeadStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || !validColumn(section))
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (role) {
    case Qt::DisplayRole: return section == MeanDistance ? title(section) + " (" + distanceUnit_ + ")" : title(section);
    case Qt::ToolTipRole: return section == MeanDistance ? description(section) + ", in " + distanceUnit_ : description(section);
    case Qt::InitialSortOrderRole: return static_cast<int>(Qt::AscendingOrder);
    default: return {};
    }
}

} // namespace attn::widgets
