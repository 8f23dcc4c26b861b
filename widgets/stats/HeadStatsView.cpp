#include "stats/HeadStatsView.h"

#include "common/ColourPainting.h"
#include "common/HeadMenu.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QSpacerItem>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn::widgets {
namespace {

constexpr qreal kMargin = 8;
constexpr qreal kScreenCell = 28; // largest cell height on screen
constexpr qreal kFigureCell = 40; // largest cell height in figures

struct MetricInfo {
    HeadStatsModel::Column column;
    const char* name; // in the chooser and the figure title
    const char* unit; // above the colour bar
};

const MetricInfo kMetrics[] = {
    {HeadStatsModel::Entropy, "Entropy (bits)", "bits"},
    {HeadStatsModel::MeanDistance, "Mean distance", nullptr}, // in the run's unit
    {HeadStatsModel::ClsMass, "[CLS] mass", "weight"},
    {HeadStatsModel::PaddingMass, "Padding mass", "weight"},
    {HeadStatsModel::ScoreSpread, "Score spread \u03c3", "\u03c3"},
    {HeadStatsModel::Temperature, "Temperature 1/\u03c3", "1/\u03c3"},
};

QString unitOf(HeadStatsModel::Column column, const QString& distanceUnit)
{
    for (const MetricInfo& m : kMetrics)
        if (m.column == column)
            return m.unit ? QString(m.unit) : distanceUnit;
    return {};
}

/// The value with as many significant digits (3, 2 or 1) as fit `width`, or "" when none do.
QString cellText(double v, qreal width, const QFontMetricsF& fm)
{
    if (std::abs(v) >= 100) { // whole numbers: 1234, not 1.23e+03
        const QString text = QString::number(v, 'f', 0);
        return fm.horizontalAdvance(text) <= width ? text : QString();
    }
    for (int digits = 3; digits >= 1; --digits) {
        const QString text = QString::number(v, 'g', digits);
        if (fm.horizontalAdvance(text) <= width)
            return text;
    }
    return {};
}

} // namespace

HeadStatsView::HeadStatsView(ExplorerState* state, QWidget* parent)
    : QWidget(parent), model_(new HeadStatsModel(this)), proxy_(new QSortFilterProxyModel(this)),
      table_(new QTableView(this)), metricBox_(new QComboBox(this)),
      heatmapSpace_(new QSpacerItem(10, 60, QSizePolicy::Expanding, QSizePolicy::Fixed))
{
    setMouseTracking(true);
    setMinimumSize(240, 240);
    for (const MetricInfo& m : kMetrics)
        metricBox_->addItem(m.name, static_cast<int>(m.column));
    metricBox_->setObjectName("metricBox");
    auto* label = new QLabel("&Heatmap of:", this);
    label->setBuddy(metricBox_);
    auto* chooser = new QHBoxLayout;
    chooser->addWidget(label);
    chooser->addWidget(metricBox_);
    chooser->addStretch(1);

    proxy_->setSourceModel(model_);
    proxy_->setSortRole(HeadStatsModel::SortRole);
    table_->setObjectName("headStatsTable");
    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->setSortingEnabled(true);
    table_->sortByColumn(HeadStatsModel::Layer, Qt::AscendingOrder);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(chooser);
    layout->addSpacerItem(heatmapSpace_);
    layout->addWidget(table_, 1);

    connect(metricBox_, &QComboBox::currentIndexChanged, this, qOverload<>(&QWidget::update));
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HeadStatsView::onRowSelected);
    setState(state);
}

void HeadStatsView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &HeadStatsView::onRunChanged);
    connect(state_, &ExplorerState::headChanged, this, &HeadStatsView::selectStateRow);
    connect(state_, &ExplorerState::appearanceChanged, this, qOverload<>(&QWidget::update));
    onRunChanged();
    update();
}

HeadStatsModel::Column HeadStatsView::metric() const
{
    return static_cast<HeadStatsModel::Column>(metricBox_->currentData().toInt());
}

void HeadStatsView::setMetric(HeadStatsModel::Column metric)
{
    const int index = metricBox_->findData(static_cast<int>(metric));
    if (index >= 0)
        metricBox_->setCurrentIndex(index);
}

void HeadStatsView::onRunChanged()
{
    std::vector<HeadStats> stats;
    const RunData& run = state_->run();
    if (state_->hasRun()) // computed with the run (makeRunData) unless the run was made by hand
        stats = run.stats ? *run.stats : headStatistics(run.result->attention, run.result->keyPadding, run.axis);
    model_->setStats(std::move(stats), QString::fromStdString(run.axis.unit));
    table_->resizeColumnsToContents();
    updateHeatmapSpace();
    selectStateRow();
}

void HeadStatsView::onRowSelected()
{
    if (syncing_)
        return;
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return;
    const HeadStats& s = stats()[static_cast<std::size_t>(proxy_->mapToSource(rows.first()).row())];
    state_->select(s.layer, s.head);
}

void HeadStatsView::selectStateRow()
{
    const int row = model_->rowOf(state_->layer(), state_->head());
    QItemSelectionModel* selection = table_->selectionModel();
    syncing_ = true;
    if (row < 0) {
        selection->clearSelection();
    } else {
        const QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
        if (!selection->isRowSelected(index.row()))
            selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollTo(index);
    }
    syncing_ = false;
    update();
}

void HeadStatsView::updateHeatmapSpace()
{
    const int layers = state_->run().layers();
    const int rows = static_cast<int>(QFontMetricsF(font()).height()) + 4 + layers * 24;
    const int height = layers == 0 ? 60 : std::clamp(rows, 110, 340);
    heatmapSpace_->changeSize(10, height, QSizePolicy::Expanding, QSizePolicy::Fixed);
    if (layout()) { // laid out now and painted whole: a paint in the old place must not stay on screen
        layout()->invalidate();
        layout()->activate();
    }
    update();
}

QRectF HeadStatsView::heatmapArea() const
{
    return QRectF(heatmapSpace_->geometry());
}

HeadStatsView::Layout HeadStatsView::heatmapLayout(const QRectF& area, const QFontMetricsF& fm, qreal maxCell) const
{
    Layout l;
    const qreal labelWidth = fm.horizontalAdvance("L00") + 8;
    const qreal header = fm.height() + 4;
    const qreal barWidth = 28 + fm.horizontalAdvance("0.0001");
    const int layers = std::max(1, state_->run().layers()), heads = std::max(1, state_->run().heads());
    l.cellWidth = std::clamp<qreal>((area.width() - labelWidth - barWidth - 16) / heads, 4, 1.5 * maxCell);
    l.cellHeight = std::clamp<qreal>((area.height() - header) / layers, 4, maxCell);
    l.cells = QRectF(area.left() + labelWidth, area.top() + header, l.cellWidth * heads, l.cellHeight * layers);
    l.bar = QRectF(l.cells.right() + 16, area.top(), barWidth, std::max<qreal>(area.height(), 80));
    return l;
}

QRectF HeadStatsView::heatmapCellRect(int layer, int head) const
{
    const Layout l = heatmapLayout(heatmapArea(), QFontMetricsF(font()), kScreenCell);
    return {l.cells.left() + head * l.cellWidth, l.cells.top() + layer * l.cellHeight, l.cellWidth, l.cellHeight};
}

QPoint HeadStatsView::heatmapCellAt(const QPointF& pos) const
{
    const Layout l = heatmapLayout(heatmapArea(), QFontMetricsF(font()), kScreenCell);
    if (!state_->hasRun() || !l.cells.contains(pos))
        return {-1, -1};
    const int head = static_cast<int>(std::floor((pos.x() - l.cells.left()) / l.cellWidth));
    const int layer = static_cast<int>(std::floor((pos.y() - l.cells.top()) / l.cellHeight));
    return {std::clamp(head, 0, state_->run().heads() - 1), std::clamp(layer, 0, state_->run().layers() - 1)};
}

Matrix HeadStatsView::metricMatrix() const
{
    Matrix m = Matrix::Constant(state_->run().layers(), state_->run().heads(), std::numeric_limits<float>::quiet_NaN());
    for (const HeadStats& s : stats())
        m(s.layer, s.head) = static_cast<float>(HeadStatsModel::value(s, metric()));
    return m;
}

ColourRange HeadStatsView::metricRange(const Matrix& values) const
{
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (Index i = 0; i < values.size(); ++i)
        if (std::isfinite(values.data()[i])) {
            low = std::min<double>(low, values.data()[i]);
            high = std::max<double>(high, values.data()[i]);
        }
    if (!(low <= high))
        return {};
    return {low, high > low ? high : low + 1.0, ColourScale::Linear};
}

void HeadStatsView::paintCells(QPainter& painter, const Layout& l, const Matrix& values) const
{
    const ColourRange range = metricRange(values);
    const QFontMetricsF fm(painter.font());
    for (Index layer = 0; layer < values.rows(); ++layer)
        for (Index head = 0; head < values.cols(); ++head) {
            const double v = values(layer, head);
            const QRectF cell(l.cells.left() + head * l.cellWidth, l.cells.top() + layer * l.cellHeight, l.cellWidth,
                              l.cellHeight);
            const QRgb colour = std::isfinite(v) ? colourOf(state_->colormap(), range, v) : qRgb(225, 225, 225);
            painter.fillRect(cell, QColor::fromRgb(colour));
            const QString text = std::isnan(v) ? QString() : cellText(v, cell.width() - 3, fm);
            if (!text.isEmpty() && fm.height() <= cell.height()) {
                painter.setPen(textColourOn(colour));
                painter.drawText(cell, Qt::AlignCenter, text);
            }
        }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::black, 1));
    painter.drawRect(l.cells);
    painter.setPen(QPen(QColor(230, 120, 0), 2, Qt::DashLine)); // the heads the run changed, as the grid marks them
    for (const HeadEdit& e : state_->run().edits)
        if (e.part == AttentionPart::Main)
            painter.drawRect(QRectF(l.cells.left() + e.head * l.cellWidth, l.cells.top() + e.layer * l.cellHeight, l.cellWidth, l.cellHeight)
                                 .adjusted(2, 2, -2, -2));
    const QRectF selected(l.cells.left() + state_->head() * l.cellWidth, l.cells.top() + state_->layer() * l.cellHeight,
                          l.cellWidth, l.cellHeight);
    painter.setPen(QPen(Qt::black, 3));
    painter.drawRect(selected.adjusted(1, 1, -1, -1));
    painter.setPen(QPen(Qt::white, 1));
    painter.drawRect(selected.adjusted(1, 1, -1, -1));
}

void HeadStatsView::paintHeatmap(QPainter& painter, const QRectF& area, qreal maxCell) const
{
    if (stats().empty()) {
        painter.setPen(Qt::gray);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, "Head statistics appear here after a run.");
        return;
    }
    const QFontMetricsF fm(painter.font());
    const Layout l = heatmapLayout(area, fm, maxCell);
    const Matrix values = metricMatrix();
    paintCells(painter, l, values);
    painter.setPen(Qt::black);
    const int layerStep = std::max(1, static_cast<int>(std::ceil(fm.height() / l.cellHeight)));
    for (Index layer = 0; layer < values.rows(); layer += layerStep)
        painter.drawText(QRectF(area.left(), l.cells.top() + layer * l.cellHeight, l.cells.left() - area.left() - 4,
                                l.cellHeight),
                         Qt::AlignRight | Qt::AlignVCenter, QString("L%1").arg(layer));
    const int headStep = std::max(1, static_cast<int>(std::ceil((fm.horizontalAdvance("H00") + 2) / l.cellWidth)));
    for (Index head = 0; head < values.cols(); head += headStep)
        painter.drawText(QRectF(l.cells.left() + head * l.cellWidth, area.top(), l.cellWidth, l.cells.top() - area.top()),
                         Qt::AlignHCenter | Qt::AlignBottom, QString("H%1").arg(head));
    paintColourBar(painter, l.bar, state_->colormap(), metricRange(values), unitOf(metric(), model_->distanceUnit()));
}

void HeadStatsView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintHeatmap(painter, heatmapArea(), kScreenCell);
}

QSize HeadStatsView::figureSize() const
{
    const int layers = std::max(1, state_->run().layers()), heads = std::max(1, state_->run().heads());
    return {std::max(320, 60 + heads * 60 + 130), std::max(220, 60 + layers * static_cast<int>(kFigureCell) + 16)};
}

void HeadStatsView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    const QFontMetricsF fm(painter.font());
    const QRectF title(kMargin, kMargin / 2, size.width() - 2 * kMargin, fm.height() + 4);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    painter.setPen(Qt::black);
    painter.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(bold).elidedText(figureTitle(), Qt::ElideRight, title.width()));
    painter.restore();
    const qreal top = title.bottom() + kMargin;
    paintHeatmap(painter, QRectF(kMargin, top, size.width() - 2 * kMargin, size.height() - top - kMargin), kFigureCell);
}

QString HeadStatsView::figureTitle() const
{
    const QString& name = state_->run().name;
    return titleFor(QString("%1 per head").arg(metricBox_->currentText()), name);
}

FigureData HeadStatsView::figureData() const
{
    FigureData d;
    for (int c = 0; c < HeadStatsModel::ColumnCount; ++c)
        d.columns << HeadStatsModel::key(c);
    for (const HeadStats& s : stats()) {
        QStringList row{QString::number(s.layer), QString::number(s.head)};
        for (int c = HeadStatsModel::Entropy; c < HeadStatsModel::ColumnCount; ++c)
            row << QString::number(HeadStatsModel::value(s, c), 'g', QLocale::FloatingPointShortest);
        d.rows.push_back(row);
    }
    if (!state_->hasRun())
        return d;
    const Matrix values = metricMatrix();
    d.array.shape = {values.rows(), values.cols()};
    d.array.data.assign(values.data(), values.data() + values.size());
    return d;
}

void HeadStatsView::mousePressEvent(QMouseEvent* event)
{
    const QPoint cell = heatmapCellAt(event->position());
    if (event->button() == Qt::LeftButton && cell.x() >= 0)
        state_->select(cell.y(), cell.x());
}

void HeadStatsView::contextMenuEvent(QContextMenuEvent* event)
{
    const QPoint cell = heatmapCellAt(event->pos());
    execHeadMenu(*state_, cell.y(), cell.x(), event->globalPos(), this);
}

void HeadStatsView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint cell = heatmapCellAt(event->position());
    const int row = cell.x() < 0 ? -1 : model_->rowOf(cell.y(), cell.x());
    if (row < 0) {
        setToolTip(cell.x() < 0 ? QString() : QString("Layer %1: not kept in this run").arg(cell.y()));
        return;
    }
    const double v = HeadStatsModel::value(stats()[static_cast<std::size_t>(row)], metric());
    setToolTip(QString("Layer %1, head %2: %3 = %4").arg(cell.y()).arg(cell.x()).arg(metricBox_->currentText()).arg(v, 0, 'g', 4));
}

} // namespace attn::widgets
