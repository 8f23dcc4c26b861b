#include "importance/HeadImportanceView.h"

#include "common/ColourPainting.h"
#include "common/CurvePlot.h"
#include "common/HeadMenu.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QPushButton>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr qreal kLabel = 26;     // room for the layer and head labels
constexpr qreal kLine = 18;      // a line of text
constexpr int kRandomOrders = 5;
constexpr qreal kAxis = 60;      // room for the pruning plot's value labels // Michel et al.'s baseline, as attnscope-cli importance --pruning

const HeadEditKind kAblations[] = {HeadEditKind::Zero, HeadEditKind::Mean, HeadEditKind::Uniform};

/// The grid's and the curve's share of the canvas below the title.
struct Areas {
    QRectF title, grid, correlations, pruning;
};

Areas split(const QRectF& a)
{
    const qreal gridHeight = std::max<qreal>(80, (a.height() - 2 * kLine) * 0.5);
    return {QRectF(a.left(), a.top(), a.width(), kLine), QRectF(a.left(), a.top() + kLine, a.width(), gridHeight),
            QRectF(a.left(), a.top() + kLine + gridHeight, a.width(), 2 * kLine),
            QRectF(a.left(), a.top() + 3 * kLine + gridHeight, a.width(), a.bottom() - (a.top() + 3 * kLine + gridHeight))};
}

/// Cell pitch and the cells' rectangle for layers x heads in `area`.
QRectF cellsIn(const QRectF& area, int layers, int heads, qreal* cell)
{
    *cell = std::max<qreal>(6, std::min((area.width() - kLabel - 4) / heads, (area.height() - kLabel) / layers));
    return QRectF(area.left() + kLabel, area.top() + kLabel, *cell * heads, *cell * layers);
}

QString correlationsText(const ImportanceResult& r)
{
    if (r.correlations.empty())
        return QObject::tr("Spearman with the head statistics: not computed for this run");
    QStringList parts;
    for (const auto& [name, rho] : r.correlations)
        parts << QString("%1 %2").arg(QString::fromStdString(name).replace('_', ' '), std::isfinite(rho) ? QString::number(rho, 'f', 2) : "n/a");
    return QObject::tr("Spearman of importance with: ") + parts.join(", ");
}

} // namespace

HeadImportanceView::HeadImportanceView(ExplorerState* state, QWidget* parent)
    : QWidget(parent), controls_(new RunComputation(tr("Ablation"), {}, this))
{
    setObjectName("headImportance");
    for (HeadEditKind k : kAblations)
        controls_->choiceBox()->addItem(QString::fromStdString(headEditKindName(k)));
    controls_->choiceBox()->setObjectName("importanceAblation");
    controls_->choiceBox()->setToolTip(tr("How a head is removed: its output zeroed, replaced by its mean, or its attention made uniform"));
    controls_->computeButton()->setObjectName("computeImportance");
    controls_->computeButton()->setToolTip(tr("Ablate every head alone (one forward each) and measure the prediction's change"));
    connect(controls_, &RunComputation::computeRequested, this, &HeadImportanceView::compute);
    connect(controls_, &RunComputation::changed, this, &HeadImportanceView::refresh);
    setMinimumSize(260, 320);
    setMouseTracking(true); // each cell's value as a tooltip
    setState(state);
}

void HeadImportanceView::setState(ExplorerState* state)
{
    if (state_)
        disconnect(state_, nullptr, this, nullptr);
    state_ = state;
    connect(state_, &ExplorerState::runChanged, this, &HeadImportanceView::refresh);
    connect(state_, &ExplorerState::headChanged, this, qOverload<>(&QWidget::update));
    connect(state_, &ExplorerState::appearanceChanged, this, qOverload<>(&QWidget::update));
    refresh();
}

const ImportanceResult* HeadImportanceView::shown() const
{
    return static_cast<const ImportanceResult*>(controls_->find(state_->hasRun() ? state_->run().result.get() : nullptr).get());
}

void HeadImportanceView::compute()
{
    if (!state_->hasRun() || !state_->run().predictor || controls_->job().isRunning() || shown())
        return;
    const auto predictor = state_->run().predictor;
    const auto stats = state_->run().stats;
    const HeadEditKind ablation = kAblations[std::max(0, controls_->choiceBox()->currentIndex())];
    auto result = std::make_shared<ImportanceResult>();
    controls_->start(state_->run().result, result, [predictor, stats, ablation, result](Progress& progress) {
        result->importance = headImportance(*predictor, ablation, &progress);
        result->pruning = pruningCurve(*predictor, result->importance, kRandomOrders, 0, &progress);
        if (stats)
            result->correlations = importanceCorrelations(result->importance, *stats);
    });
    refresh();
}

void HeadImportanceView::refresh()
{
    controls_->refresh(state_->hasRun() ? state_->run().result.get() : nullptr, state_->hasRun() && state_->run().predictor);
    update();
}

QRectF HeadImportanceView::canvas() const
{
    return QRectF(4, controls_->sizeHint().height() + 4, width() - 8, height() - controls_->sizeHint().height() - 8);
}

void HeadImportanceView::paintEvent(QPaintEvent*)
{
    controls_->setGeometry(0, 0, width(), controls_->sizeHint().height());
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    paintInto(p, canvas());
}

void HeadImportanceView::paintInto(QPainter& painter, const QRectF& area) const
{
    painter.setPen(Qt::gray);
    const ImportanceResult* r = shown();
    if (!state_->hasRun() || !r) {
        const QString text = !state_->hasRun()         ? tr("Head importance appears here after a run.")
                             : controls_->job().isRunning() ? tr("Ablating every head alone…")
                             : !state_->run().predictor ? tr("This run cannot be run again.")
                                                        : tr("Press Compute: every head is ablated alone (%1 forwards) and the prediction's "
                                                             "change measured.").arg(state_->run().layers() * state_->run().heads());
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
        return;
    }
    const Areas a = split(area);
    painter.setPen(Qt::black);
    painter.drawText(a.title, Qt::AlignLeft | Qt::AlignVCenter,
                     tr("%1, %2 ablation").arg(QString::fromStdString(r->importance.metric), QString::fromStdString(headEditKindName(r->importance.ablation))));
    paintGrid(painter, a.grid, *r);
    painter.setPen(Qt::black);
    painter.drawText(a.correlations, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, correlationsText(*r));
    paintPruning(painter, a.pruning, *r);
}

void HeadImportanceView::paintGrid(QPainter& painter, const QRectF& area, const ImportanceResult& r) const
{
    const Matrix& g = r.importance.grid;
    qreal cell = 0;
    const QRectF cells = cellsIn(area, static_cast<int>(g.rows()), static_cast<int>(g.cols()), &cell);
    const ColourRange range{std::min(0.0, static_cast<double>(g.minCoeff())), std::max(1e-12, static_cast<double>(g.maxCoeff())), ColourScale::Linear};
    const QFontMetricsF fm(painter.font());
    for (Index l = 0; l < g.rows(); ++l) {
        painter.setPen(Qt::black);
        painter.drawText(QRectF(area.left(), cells.top() + l * cell, kLabel - 2, cell), Qt::AlignCenter, QString("L%1").arg(l));
        for (Index h = 0; h < g.cols(); ++h) {
            const QRectF c(cells.left() + h * cell, cells.top() + l * cell, cell, cell);
            const QRgb colour = colourOf(state_->colormap(), range, g(l, h));
            painter.fillRect(c, QColor::fromRgb(colour));
            const QString text = QString::number(g(l, h), 'g', 2);
            if (fm.horizontalAdvance(text) < cell - 2 && fm.height() < cell) {
                painter.setPen(textColourOn(colour));
                painter.drawText(c, Qt::AlignCenter, text);
            }
        }
    }
    painter.setPen(Qt::black);
    for (Index h = 0; h < g.cols(); ++h)
        painter.drawText(QRectF(cells.left() + h * cell, area.top(), cell, kLabel), Qt::AlignCenter, QString("H%1").arg(h));
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(220, 30, 30), 2.5));
    painter.drawRect(QRectF(cells.left() + state_->head() * cell + 1, cells.top() + state_->layer() * cell + 1, cell - 2, cell - 2));
}

void HeadImportanceView::paintPruning(QPainter& painter, const QRectF& area, const ImportanceResult& r) const
{
    const PruningCurve& c = r.pruning;
    paintCurveWithBand(painter, area, tr("Pruning: by importance (red); %1 random (grey ± sd)").arg(c.random.size()),
                       tr("share of heads removed"), c.fractions, c.byImportance, c.random);
}

QPoint HeadImportanceView::headAt(const QPointF& pos) const
{
    const ImportanceResult* r = shown();
    if (!r)
        return {-1, -1};
    qreal cell = 0;
    const QRectF cells = cellsIn(split(canvas()).grid, static_cast<int>(r->importance.grid.rows()), static_cast<int>(r->importance.grid.cols()), &cell);
    if (!cells.contains(pos))
        return {-1, -1};
    return {static_cast<int>((pos.y() - cells.top()) / cell), static_cast<int>((pos.x() - cells.left()) / cell)};
}

void HeadImportanceView::mousePressEvent(QMouseEvent* event)
{
    const QPoint at = headAt(event->position());
    if (event->button() == Qt::LeftButton && at.x() >= 0)
        state_->select(at.x(), at.y());
}

void HeadImportanceView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint at = headAt(event->position());
    const ImportanceResult* r = shown();
    setToolTip(at.x() < 0 || !r ? QString()
                                : tr("Layer %1, head %2: %3 = %4").arg(at.x()).arg(at.y()).arg(QString::fromStdString(r->importance.metric))
                                      .arg(static_cast<double>(r->importance.grid(at.x(), at.y())), 0, 'g', 4));
}

void HeadImportanceView::contextMenuEvent(QContextMenuEvent* event)
{
    const QPoint at = headAt(event->pos());
    execHeadMenu(*state_, at.x(), at.y(), event->globalPos(), this);
}

void HeadImportanceView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    paintInto(painter, QRectF(8, 8, size.width() - 16, size.height() - 16));
}

FigureData HeadImportanceView::figureData() const
{
    FigureData d;
    d.columns = {"layer", "head", "importance"};
    const ImportanceResult* r = shown();
    if (!r)
        return d;
    const Matrix& g = r->importance.grid;
    for (Index l = 0; l < g.rows(); ++l)
        for (Index h = 0; h < g.cols(); ++h)
            d.rows.push_back({QString::number(l), QString::number(h), QString::number(g(l, h), 'g', 9)});
    d.array.shape = {g.rows(), g.cols()};
    d.array.data.assign(g.data(), g.data() + g.size());
    return d;
}

QString HeadImportanceView::figureTitle() const
{
    return titleFor("Head importance", state_->hasRun() ? state_->run().name : QString());
}

} // namespace attn::widgets
