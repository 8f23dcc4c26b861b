#include "track/SequenceTrackView.h"

#include "common/ColourPainting.h"
#include "interpret/KmerSpread.h"
#include "util/Error.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr qreal kLabelWidth = 150; // strip names on the left
constexpr qreal kStripGap = 6;

/// The token as it fits in width w: whole, else its first letter; special tokens ("[CLS]",
/// "[UNK]", ...) that do not fit become "*" for [CLS] and "?" for the others.
QString shortToken(const QString& token, const QFontMetricsF& fm, qreal w)
{
    if (fm.horizontalAdvance(token) <= w)
        return token;
    if (token.startsWith('['))
        return token == "[CLS]" ? "*" : "?";
    return token.left(1);
}

/// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least n.
int niceStep(int n)
{
    for (int scale = 1;; scale *= 10)
        for (int m : {1, 2, 5})
            if (m * scale >= n)
                return m * scale;
}

} // namespace

SequenceTrackView::SequenceTrackView(ExplorerState* state, QWidget* parent)
    : QWidget(parent), state_(state), fusion_(new QComboBox), discard_(new QDoubleSpinBox), start_(new QSpinBox),
      status_(new QLabel)
{
    strips_ = new SequenceStrips(state_, this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buildControls());
    layout->addWidget(strips_, 1);
    status_->setToolTip("Rollout treats attention as the only carrier of information between tokens; "
                        "see docs/rollout.md");
    connect(fusion_, &QComboBox::currentIndexChanged, this, &SequenceTrackView::recompute);
    connect(discard_, &QDoubleSpinBox::valueChanged, this, &SequenceTrackView::recompute);
    connect(start_, &QSpinBox::valueChanged, this, &SequenceTrackView::recompute);
    connect(state_, &ExplorerState::runChanged, this, &SequenceTrackView::onRunChanged);
    connect(state_, &ExplorerState::headChanged, this, [this] { // the rollout fuses every head: it does not change
        recomputeHead();
        updateDisplay();
        strips_->update();
    });
    connect(state_, &ExplorerState::tokenChanged, this, &SequenceTrackView::recompute);
    connect(state_, &ExplorerState::sourceChanged, this, [this] { // a decomposition's row and roll-out in place of attention's
        recomputeHead();
        updateDisplay();
        strips_->update();
    });
    connect(state_, &ExplorerState::appearanceChanged, strips_, qOverload<>(&QWidget::update));
    connect(&chainJob_, &BackgroundJob::succeeded, this, &SequenceTrackView::onChainReady);
    connect(&rowJob_, &BackgroundJob::succeeded, this, &SequenceTrackView::onRowReady);
    connect(&chainJob_, &BackgroundJob::failed, this, &SequenceTrackView::onRolloutFailed);
    connect(&rowJob_, &BackgroundJob::failed, this, &SequenceTrackView::onRolloutFailed);
    onRunChanged();
}

QHBoxLayout* SequenceTrackView::buildControls()
{
    fusion_->addItems({"mean", "max", "min"});
    fusion_->setToolTip("How the heads of a layer are fused before rollout");
    discard_->setRange(0.0, 0.99);
    discard_->setSingleStep(0.05);
    discard_->setDecimals(2);
    discard_->setToolTip("Fraction of the lowest fused weights set to zero (never the [CLS] column)");
    start_->setToolTip("First layer multiplied into the rollout");
    fusion_->setObjectName("rolloutFusion");
    discard_->setObjectName("rolloutDiscard");
    start_->setObjectName("rolloutStart");
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Rollout: heads fused by"));
    controls->addWidget(fusion_);
    controls->addWidget(new QLabel("discard"));
    controls->addWidget(discard_);
    controls->addWidget(new QLabel("from layer"));
    controls->addWidget(start_);
    controls->addSpacing(12);
    controls->addWidget(status_, 1);
    auto* readout = new QLabel;
    readout->setObjectName("trackReadout");
    readout->setStyleSheet("color: #555");
    controls->addWidget(readout);
    connect(strips_, &SequenceStrips::readoutChanged, readout, &QLabel::setText);
    return controls;
}

void SequenceTrackView::onRunChanged()
{
    const QSignalBlocker block(start_);
    start_->setRange(0, std::max(0, state_->run().layers() - 1));
    rollout_.resize(0); // the previous run's row does not fit this one
    chain_.reset();     // nor do its fused layers: free them
    recompute();
    strips_->setVisibleTokens(0, std::max(1, display_.count()));
}

RolloutOptions SequenceTrackView::rolloutOptions() const
{
    return {static_cast<HeadFusion>(fusion_->currentIndex()), static_cast<float>(discard_->value()), start_->value()};
}

void SequenceTrackView::setRolloutOptions(const RolloutOptions& options)
{
    fusion_->setCurrentIndex(static_cast<int>(options.fusion));
    discard_->setValue(options.discardRatio);
    start_->setValue(options.startLayer);
    recompute();
}

int SequenceTrackView::sourceToken() const
{
    return std::max(0, state_->token());
}

void SequenceTrackView::recompute()
{
    recomputeRollout();
    recomputeHead();
    updateDisplay();
    strips_->update();
}

namespace {

bool sameOptions(const RolloutOptions& a, const RolloutOptions& b)
{
    return a.fusion == b.fusion && a.discardRatio == b.discardRatio && a.startLayer == b.startLayer;
}

} // namespace

void SequenceTrackView::recomputeRollout()
{
    if (!state_->hasRun()) {
        chainJob_.cancel();
        rowJob_.cancel();
        rollout_.resize(0);
        chain_.reset();
        return;
    }
    const auto& run = state_->run().result;
    const RolloutOptions options = rolloutOptions();
    const auto fits = [&](const std::shared_ptr<ChainRequest>& c) {
        return c && c->run == run && sameOptions(c->options, options);
    };
    if (fits(chain_)) {
        startRow(); // fused once per run and options; a token then costs O(layers L^2)
        return;
    }
    if (!(chainJob_.isRunning() && fits(pendingChain_))) {
        rowJob_.cancel();
        auto request = std::make_shared<ChainRequest>(ChainRequest{run, options, nullptr});
        chainJob_.start([request](Progress& progress) {
            request->chain = std::make_shared<const RolloutChain>(request->run->attention, request->run->keyPadding,
                                                                  request->options, &progress);
        });
        pendingChain_ = request;
    }
    status_->setText("fusing the heads of each layer for the rollout…"); // then the row (onChainReady)
}

void SequenceTrackView::onChainReady()
{
    if (!pendingChain_ || pendingChain_->run != state_->run().result || !sameOptions(pendingChain_->options, rolloutOptions()))
        return; // fused for a run or options no longer shown
    chain_ = std::move(pendingChain_);
    startRow();
}

void SequenceTrackView::startRow()
{
    auto request = std::make_shared<RowRequest>(RowRequest{chain_->run, chain_->chain, sourceToken(), {}});
    rowJob_.start([request](Progress& progress) { // a new request cancels this one between layers
        request->row = request->chain->row(request->token, &progress);
    }); // (the previous request, if it had just finished, is shown first)
    pendingRow_ = request;
    status_->setText(QString("computing the rollout row of %1 (token %2)…")
                         .arg(state_->run().tokens[static_cast<int>(request->token)])
                         .arg(request->token));
}

void SequenceTrackView::onRowReady()
{
    if (!pendingRow_ || pendingRow_->run != state_->run().result)
        return; // computed for a run no longer shown
    const auto request = std::move(pendingRow_);
    rollout_ = request->row;
    const int token = static_cast<int>(request->token);
    status_->setText(QString("row of %1 (token %2)").arg(state_->run().tokens[token]).arg(token));
    updateDisplay();
    strips_->update();
}

void SequenceTrackView::onRolloutFailed(const QString& message)
{
    pendingRow_.reset();
    pendingChain_.reset();
    rollout_.resize(0);
    status_->setText(message);
    updateDisplay();
    strips_->update();
}

void SequenceTrackView::finishRollout() const
{
    chainJob_.wait(); // its success starts the row
    rowJob_.wait();
}

QString SequenceTrackView::status() const
{
    return status_->text();
}

void SequenceTrackView::recomputeHead()
{
    headRow_.resize(0);
    sourceRollout_.resize(0);
    if (!state_->hasRun() || !state_->shownStore().hasLayer(state_->layer()))
        return;
    const AttentionStore& store = state_->shownStore(); // the run's attention, or a decomposition with one map per layer
    headRow_ = store.row(state_->layer(), state_->shownHead(state_->head()), sourceToken());
    if (const SourceMaps* maps = state_->sourceMaps(); maps && rollsOut(maps->method)) { // GlobEnc, ALTI: their own roll-out
        std::vector<Matrix> layers;
        for (int l = 0; l < store.layers(); ++l)
            layers.push_back(store.head(l, 0));
        sourceRollout_ = rolledOutRow(layers, sourceToken());
    }
}

QString SequenceTrackView::stripName(int strip) const
{
    const SourceMaps* maps = state_->sourceMaps();
    if (strip == 0)
        return maps && rollsOut(maps->method) ? state_->sourceName() + " rolled out" : QStringLiteral("rollout");
    return maps ? QString("L%1 %2").arg(state_->layer()).arg(state_->sourceName())
                : QString("L%1 H%2 attention").arg(state_->layer()).arg(state_->head());
}

void SequenceTrackView::updateDisplay()
{
    const RunData& run = state_->run();
    display_ = TrackData{};
    display_.perBase = run.result && run.perBase();
    const int source = sourceToken();
    const RowVector& rollout = sourceRollout_.size() > 0 ? sourceRollout_ : rollout_;
    if (!display_.perBase) {
        display_.rollout = rollout;
        display_.head = headRow_;
        display_.labels = run.tokens;
        for (int i = 0; i < run.length(); ++i)
            display_.token.push_back(i);
        display_.highlightBegin = source;
        display_.highlightEnd = source + 1;
        return;
    }
    const int bases = static_cast<int>(run.bases.size());
    const auto spread = [&](const RowVector& v) {
        if (v.size() != static_cast<Index>(run.spans.size()))
            return RowVector();
        const std::vector<float> b = spreadToBases(v, run.spans, bases);
        return RowVector(Eigen::Map<const RowVector>(b.data(), bases));
    };
    display_.rollout = spread(rollout);
    display_.head = spread(headRow_);
    std::vector<int> startsAt(static_cast<std::size_t>(bases), -1); // the last k-mer that starts at each base
    for (std::size_t t = 0; t < run.spans.size(); ++t)
        if (run.spans[t].begin >= 0 && run.spans[t].begin < bases)
            startsAt[static_cast<std::size_t>(run.spans[t].begin)] = static_cast<int>(t);
    int token = 0; // the last k-mer that starts at or before b
    for (int b = 0; b < bases; ++b) {
        display_.labels << QString(run.bases[b]).toUpper();
        token = std::max(token, startsAt[static_cast<std::size_t>(b)]);
        display_.token.push_back(token);
    }
    const TokenSpan span = run.spans[static_cast<std::size_t>(source)];
    display_.highlightBegin = span.begin;
    display_.highlightEnd = span.end;
}

QSize SequenceTrackView::figureSize() const
{
    return {900, 170};
}

void SequenceTrackView::paintFigure(QPainter& painter, const QSize& size) const
{
    finishRollout(); // a figure shows the selected token's row, never the previous one
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    const QFontMetricsF fm(painter.font());
    painter.setPen(Qt::black);
    painter.drawText(QRectF(8, 4, size.width() - 16, fm.height()), Qt::AlignLeft, figureTitle());
    strips_->paintStrips(painter, QRectF(0, fm.height() + 8, size.width(), size.height() - fm.height() - 8));
}

QString SequenceTrackView::figureTitle() const
{
    const RolloutOptions o = rolloutOptions();
    if (state_->sourceMaps())
        return titleFor(QString("%1 and layer %2 %3, from token %4").arg(stripName(0), QString::number(state_->layer()), state_->sourceName())
                            .arg(sourceToken()),
                        state_->run().name);
    return titleFor(QString("Rollout (%1 fusion, discard %2, from layer %3) and layer %4 head %5, from token %6")
                        .arg(fusion_->currentText())
                        .arg(static_cast<double>(o.discardRatio))
                        .arg(o.startLayer)
                        .arg(state_->layer())
                        .arg(state_->head())
                        .arg(sourceToken()),
                    state_->run().name);
}

FigureData SequenceTrackView::figureData() const
{
    finishRollout();
    FigureData d;
    const TrackData& t = display_;
    const bool decomposition = state_->sourceMaps() != nullptr;
    d.columns = {t.perBase ? "base_index" : "index", t.perBase ? "base" : "token", decomposition ? stripName(0).replace(' ', '_') : "rollout",
                 decomposition ? state_->sourceName() : "head_attention"};
    const int n = t.count();
    if (n == 0 || t.rollout.size() != n || t.head.size() != n)
        return d;
    d.array.shape = {2, n};
    d.array.data.assign(t.rollout.data(), t.rollout.data() + n);
    d.array.data.insert(d.array.data.end(), t.head.data(), t.head.data() + n);
    for (int i = 0; i < n; ++i)
        d.rows.push_back({QString::number(i), t.labels[i], QString::number(t.rollout(i), 'g', 9),
                          QString::number(t.head(i), 'g', 9)});
    return d;
}

// --- strips -------------------------------------------------------------------------

SequenceStrips::SequenceStrips(ExplorerState* state, const SequenceTrackView* track, QWidget* parent)
    : QWidget(parent), state_(state), track_(track)
{
    setMouseTracking(true);
    setMinimumHeight(110);
}

void SequenceStrips::setVisibleTokens(qreal first, qreal count)
{
    const qreal n = std::max(1, track_->display().count());
    count_ = std::clamp(count, std::min<qreal>(8, n), n);
    first_ = std::clamp(first, 0.0, n - count_);
    update();
}

QRectF SequenceStrips::plotArea(const QRectF& rect) const
{
    return rect.adjusted(kLabelWidth, 4, -8, -4);
}

QRectF SequenceStrips::tokenRect(int i) const
{
    const QRectF plot = plotArea(rect());
    const qreal w = plot.width() / count_;
    return QRectF(plot.x() + (i - first_) * w, plot.y(), w, plot.height());
}

int SequenceStrips::tokenAt(const QPointF& pos) const
{
    const QRectF plot = plotArea(rect());
    if (!plot.contains(pos) || !state_->hasRun())
        return -1;
    const int i = static_cast<int>(std::floor(first_ + (pos.x() - plot.x()) / plot.width() * count_));
    return i >= 0 && i < track_->display().count() ? i : -1;
}

namespace {

/// The widest first letter of the shown positions' labels, each distinct letter measured once.
qreal widestLetter(const QFontMetricsF& fm, const QStringList& labels, int i0, int i1)
{
    qreal letter = 0;
    QString measured; // a DNA track has five
    for (int i = i0; i < i1; ++i) {
        const QChar c = labels[i].isEmpty() ? QChar(' ') : labels[i][0];
        if (!measured.contains(c)) {
            measured += c;
            letter = std::max(letter, fm.horizontalAdvance(c));
        }
    }
    return letter;
}

} // namespace

SequenceStrips::Layout SequenceStrips::layout(const QFontMetricsF& fm, const QRectF& rect) const
{
    Layout l;
    l.plot = plotArea(rect);
    l.w = l.plot.width() / count_;
    const TrackData& data = track_->display();
    l.i0 = static_cast<int>(std::floor(first_));
    l.i1 = std::min(data.count(), static_cast<int>(std::ceil(first_ + count_)));
    l.showBases = l.i1 > l.i0 && l.w >= widestLetter(fm, data.labels, l.i0, l.i1) + 1; // bases whenever they fit
    l.baseRow = l.showBases ? fm.height() + 2 : 0;
    l.stripHeight = (l.plot.height() - l.baseRow - 2 * kStripGap - fm.height()) / 2;
    return l;
}

void SequenceStrips::paintBars(QPainter& painter, const QRectF& strip, const Layout& l, const RowVector& v, double high) const
{
    const ColourRange range = attentionRange(high > 0 ? high : 1.0, ColourScale::Linear);
    const auto bar = [&](qreal x, qreal width, float value) {
        const qreal h = strip.height() * std::min(1.0, range.normalise(value));
        painter.fillRect(QRectF(x, strip.bottom() - h, width, h), QColor::fromRgb(colourOf(state_->colormap(), range, value)));
    };
    const int end = std::min(l.i1, static_cast<int>(v.size()));
    if (l.w >= 1) {
        for (int i = l.i0; i < end; ++i)
            bar(l.plot.x() + (i - first_) * l.w, l.w - (l.w > 4 ? 1 : 0), v(i));
        return;
    }
    const auto pixelOf = [&](int i) { return static_cast<int>(std::floor((i - first_) * l.w)); };
    for (int i = l.i0; i < end;) { // several positions per pixel: one bar per pixel, of their largest value (as the map pools)
        const int pixel = pixelOf(i);
        float value = v(i);
        int j = i + 1;
        for (; j < end && pixelOf(j) == pixel; ++j)
            value = std::max(value, v(j));
        bar(l.plot.x() + pixel, 1.0, value);
        i = j;
    }
}

void SequenceStrips::paintStrip(QPainter& painter, const QRectF& label, const QRectF& strip, const Layout& l, const RowVector& v,
                                const QString& name) const
{
    double high = 0.0;
    for (int i = 1; i < v.size(); ++i) // [CLS] often dominates: scale by the other tokens (its bar is clipped)
        high = std::max(high, static_cast<double>(v(i)));
    painter.setPen(Qt::black);
    const QString scale = v.size() == 0 ? QStringLiteral("no values yet") : QString("scale max %1").arg(high, 0, 'g', 3); // not "max 0" while it computes
    painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, QString("%1\n%2").arg(name, scale));
    painter.fillRect(strip, QColor(248, 248, 248));
    paintBars(painter, strip, l, v, high);
    painter.setPen(QColor(160, 160, 160));
    painter.drawRect(strip);
}

void SequenceStrips::paintPositions(QPainter& painter, const QFontMetricsF& fm, const Layout& l) const
{
    const TrackData& data = track_->display();
    painter.setPen(Qt::black);
    // position labels thinned by their drawn width (the widest, plus a gap) to a 1-2-5 step
    const qreal tickWidth = fm.horizontalAdvance(QString::number(std::max(l.i1 - 1, 0))) + fm.horizontalAdvance("00");
    const int step = niceStep(static_cast<int>(std::ceil(tickWidth / l.w)));
    for (int i = l.i0; i < l.i1; ++i) {
        const qreal x = l.plot.x() + (i - first_) * l.w;
        if (l.showBases) {
            QFont f = painter.font();
            f.setBold(i >= data.highlightBegin && i < data.highlightEnd);
            painter.save();
            painter.setFont(f);
            painter.drawText(QRectF(x, l.plot.y(), l.w, l.baseRow), Qt::AlignCenter, shortToken(data.labels[i], fm, l.w));
            painter.restore();
        }
        if (i % step == 0)
            painter.drawText(QRectF(x + l.w / 2 - tickWidth / 2, l.plot.bottom() - fm.height(), tickWidth, fm.height()), Qt::AlignHCenter,
                             QString::number(i));
    }
    const int selBegin = data.highlightBegin, selEnd = data.highlightEnd;
    if (selBegin >= 0 && selEnd > l.i0 && selBegin < l.i1) {
        painter.setPen(QPen(QColor(220, 30, 30), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(l.plot.x() + (selBegin - first_) * l.w, l.plot.y(), l.w * (selEnd - selBegin), l.plot.height() - fm.height()));
    }
}

void SequenceStrips::paintStrips(QPainter& painter, const QRectF& rect) const
{
    const QFontMetricsF fm(painter.font());
    if (!state_->hasRun()) {
        painter.setPen(Qt::gray);
        painter.drawText(rect, Qt::AlignCenter, "Attention rollout along the sequence appears here after a run.");
        return;
    }
    const Layout l = layout(fm, rect);
    const TrackData& data = track_->display();
    const RowVector* rows[2] = {&data.rollout, &data.head};
    const QString perBase = data.perBase ? "\nper base" : "";
    const QString names[2] = {track_->stripName(0) + perBase, track_->stripName(1) + perBase};
    painter.save();
    for (int s = 0; s < 2; ++s) {
        const QRectF strip(l.plot.x(), l.plot.y() + l.baseRow + s * (l.stripHeight + kStripGap), l.plot.width(), l.stripHeight);
        paintStrip(painter, QRectF(rect.x() + 4, strip.y(), kLabelWidth - 8, strip.height()), strip, l, *rows[s], names[s]);
    }
    paintPositions(painter, fm, l);
    painter.restore();
}

void SequenceStrips::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    paintStrips(p, rect());
}

void SequenceStrips::wheelEvent(QWheelEvent* event)
{
    const QRectF plot = plotArea(rect());
    const qreal f = (event->position().x() - plot.x()) / plot.width();
    const qreal at = first_ + f * count_;
    const qreal count = count_ * std::pow(0.8, event->angleDelta().y() / 120.0);
    setVisibleTokens(at - f * count, count);
    event->accept();
}

void SequenceStrips::mousePressEvent(QMouseEvent* event)
{
    pressed_ = event->button() == Qt::LeftButton;
    pressAt_ = event->position();
    pressFirst_ = first_;
}

void SequenceStrips::mouseMoveEvent(QMouseEvent* event)
{
    if (pressed_) {
        const QRectF plot = plotArea(rect());
        setVisibleTokens(pressFirst_ - (event->position().x() - pressAt_.x()) / plot.width() * count_, count_);
    }
    const int i = tokenAt(event->position());
    QString text;
    const TrackData& data = track_->display();
    if (i >= 0 && i < data.rollout.size() && i < data.head.size())
        text = QString("%1 %2: rollout %3, head %4")
                   .arg(i)
                   .arg(data.labels[i])
                   .arg(static_cast<double>(data.rollout(i)), 0, 'f', 4)
                   .arg(static_cast<double>(data.head(i)), 0, 'f', 4);
    if (text != readout_) { // shown whole in the controls row, where there is room for it
        readout_ = text;
        setToolTip(text);
        emit readoutChanged(text);
    }
}

void SequenceStrips::mouseReleaseEvent(QMouseEvent* event)
{
    if (pressed_ && (event->position() - pressAt_).manhattanLength() < 3) {
        const int i = tokenAt(event->position());
        if (i >= 0) {
            const int token = track_->display().token[static_cast<std::size_t>(i)];
            state_->selectToken(token == track_->sourceToken() && state_->token() >= 0 ? -1 : token);
        }
    }
    pressed_ = false;
}

} // namespace attn::widgets
