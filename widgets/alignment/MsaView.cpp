#include "alignment/MsaView.h"

#include "common/ColourPainting.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attn::widgets {

namespace {

QColor rgb(std::uint32_t c)
{
    return QColor((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
}

} // namespace

MsaView::MsaView(ExplorerState* state, QWidget* parent) : QAbstractScrollArea(parent), state_(state)
{
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    horizontalScrollBar()->setSingleStep(kCellW);
    verticalScrollBar()->setSingleStep(kCellH);
    const auto refresh = [this] {
        updateTrack();
        viewport()->update();
    };
    connect(state_, &ExplorerState::runChanged, this, refresh);
    connect(state_, &ExplorerState::headChanged, this, refresh);
    connect(state_, &ExplorerState::appearanceChanged, this, refresh);
    connect(state_, &ExplorerState::tokenChanged, this, [this, refresh](int token) {
        const auto it = std::find(tokenOfColumn_.begin(), tokenOfColumn_.end(), token);
        if (token >= 0 && it != tokenOfColumn_.end() && static_cast<int>(it - tokenOfColumn_.begin()) != column_)
            selectColumn(static_cast<int>(it - tokenOfColumn_.begin()));
        refresh();
    });
}

void MsaView::setAlignment(std::shared_ptr<const Msa> msa, std::vector<ColumnProfile> profiles)
{
    msa_ = std::move(msa);
    profiles_ = std::move(profiles);
    tokenOfColumn_.assign(profiles_.size(), -1);
    run_ = nullptr;
    highlighted_.clear();
    column_ = -1;
    updateTrack();
    updateScrollBars();
    viewport()->update();
}

void MsaView::setProfiles(std::vector<ColumnProfile> profiles)
{
    if (profiles.size() != profiles_.size())
        return; // for another alignment
    profiles_ = std::move(profiles);
    viewport()->update();
}

void MsaView::setColumnTokens(std::vector<int> tokenOfColumn, const RunResult* run)
{
    tokenOfColumn_ = std::move(tokenOfColumn);
    run_ = run;
    tokenOfColumn_.resize(profiles_.size(), -1);
    updateTrack();
    viewport()->update();
}

void MsaView::highlightColumns(std::vector<int> columns)
{
    highlighted_ = std::move(columns);
    viewport()->update();
}

void MsaView::showColumn(int column)
{
    const int x = column * kCellW, width = viewport()->width() - kNameW;
    QScrollBar* h = horizontalScrollBar();
    if (x < h->value() || x + kCellW > h->value() + width)
        h->setValue(std::max(0, x - width / 2));
}

void MsaView::selectColumn(int column)
{
    if (!msa_ || column < 0 || column >= static_cast<int>(profiles_.size()))
        return;
    column_ = column;
    viewport()->update();
    emit columnSelected(column);
}

int MsaView::headerHeight() const
{
    return kRulerH + kConservationH + kGapsH + kConsensusH + kAttentionH + kCellH + 2;
}

MsaView::Window MsaView::windowFor(const QSize& size, int scrollX, int scrollY) const
{
    Window w;
    if (!msa_)
        return w;
    const int columns = static_cast<int>(msa_->columns()), rows = static_cast<int>(msa_->sequences());
    w.column0 = std::clamp(scrollX / kCellW, 0, std::max(0, columns - 1));
    w.xShift = scrollX - w.column0 * kCellW;
    w.columns = std::min(columns - w.column0, (size.width() - kNameW + w.xShift + kCellW - 1) / kCellW);
    w.row0 = 1 + std::max(0, scrollY / kCellH);
    w.yShift = scrollY - (w.row0 - 1) * kCellH;
    w.rows = std::clamp((size.height() - headerHeight() + w.yShift + kCellH - 1) / kCellH, 0, std::max(0, rows - w.row0));
    w.columns = std::max(0, w.columns);
    return w;
}

QPoint MsaView::cellAt(const QPoint& pos) const
{
    if (!msa_ || pos.x() < kNameW)
        return {-1, -1};
    const Window w = windowFor(viewport()->size(), horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int column = w.column0 + (pos.x() - kNameW + w.xShift) / kCellW;
    if (column >= static_cast<int>(msa_->columns()))
        return {-1, -1};
    const int queryY = headerHeight() - kCellH - 2;
    if (pos.y() < queryY)
        return {column, -1};
    if (pos.y() < queryY + kCellH)
        return {column, 0};
    if (pos.y() < headerHeight())
        return {-1, -1};
    const int row = w.row0 + (pos.y() - headerHeight() + w.yShift) / kCellH;
    return row < static_cast<int>(msa_->sequences()) ? QPoint(column, row) : QPoint(-1, -1);
}

QRect MsaView::cellRect(int row, int column) const
{
    const Window w = windowFor(viewport()->size(), horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int x = kNameW + (column - w.column0) * kCellW - w.xShift;
    const int y = row == 0 ? headerHeight() - kCellH - 2 : headerHeight() + (row - w.row0) * kCellH - w.yShift;
    return {x, y, kCellW, kCellH};
}

std::uint32_t MsaView::cellColour(int row, int column) const
{
    const char residue = msa_->rows[static_cast<std::size_t>(row)].residues[static_cast<std::size_t>(column)];
    return clustalColour(clustalClass(residue, profiles_[static_cast<std::size_t>(column)]));
}

const QPixmap& MsaView::glyph(char residue, std::uint32_t colour) const
{
    const quint64 key = (static_cast<quint64>(colour) << 8) | static_cast<unsigned char>(residue);
    auto it = glyphs_.find(key);
    if (it != glyphs_.end())
        return *it;
    QPixmap tile(kCellW, kCellH);
    tile.fill(rgb(colour));
    QPainter p(&tile);
    QFont f = font();
    f.setPixelSize(kCellH - 3);
    p.setFont(f);
    p.setPen(residue == '-' ? QColor(150, 150, 150) : Qt::black);
    p.drawText(QRect(0, 0, kCellW, kCellH), Qt::AlignCenter, QString(QChar(residue)));
    return *glyphs_.insert(key, tile);
}

void MsaView::paintRow(QPainter& painter, int row, int y, const Window& w, int right, bool glyphCache) const
{
    const std::string& residues = msa_->rows[static_cast<std::size_t>(row)].residues;
    QFont f = painter.font();
    f.setPixelSize(kCellH - 3);
    if (!glyphCache)
        painter.setFont(f);
    for (int i = 0; i < w.columns; ++i) {
        const int c = w.column0 + i, x = kNameW + i * kCellW - w.xShift;
        if (x >= right)
            break;
        const char residue = residues[static_cast<std::size_t>(c)];
        const std::uint32_t colour = cellColour(row, c);
        if (glyphCache) {
            painter.drawPixmap(x, y, glyph(residue, colour));
            continue;
        }
        painter.fillRect(QRect(x, y, kCellW, kCellH), rgb(colour));
        painter.setPen(residue == '-' ? QColor(150, 150, 150) : Qt::black);
        painter.drawText(QRect(x, y, kCellW, kCellH), Qt::AlignCenter, QString(QChar(residue)));
    }
}

void MsaView::paintTracks(QPainter& painter, const QSize& size, const Window& w) const
{
    const Colormap& map = state_->colormap();
    const float trackMax = track_.empty() ? 0.0f : *std::max_element(track_.begin(), track_.end());
    QFont small = painter.font();
    small.setPixelSize(10);
    painter.setFont(small);
    for (int i = 0; i < w.columns; ++i) {
        const int c = w.column0 + i, x = kNameW + i * kCellW - w.xShift;
        if (x >= size.width())
            break;
        const ColumnProfile& p = profiles_[static_cast<std::size_t>(c)];
        painter.setPen(QColor(90, 90, 90));
        if ((c + 1) % 10 == 0) {
            painter.drawLine(x + kCellW / 2, kRulerH - 4, x + kCellW / 2, kRulerH - 1);
            painter.drawText(QRect(x - 20, 0, kCellW + 40, kRulerH - 4), Qt::AlignCenter, QString::number(c + 1));
        }
        int y = kRulerH;
        const int bar = static_cast<int>(std::lround(p.conservation * (kConservationH - 2)));
        painter.fillRect(QRect(x, y + kConservationH - 1 - bar, kCellW - 1, bar), QColor(165, 125, 20));
        y += kConservationH; // the gap fraction apart, as grey: a column of gaps is not a conserved one
        const int gaps = static_cast<int>(std::lround(p.gapFraction * (kGapsH - 2)));
        painter.fillRect(QRect(x, y + kGapsH - 1 - gaps, kCellW - 1, gaps), QColor(150, 150, 150));
        y += kGapsH;
        QColor letter(0, 0, 0, static_cast<int>(60 + 195 * p.consensusFraction));
        painter.setPen(letter);
        painter.drawText(QRect(x, y, kCellW, kConsensusH), Qt::AlignCenter, QString(QChar(p.consensus)));
        y += kConsensusH;
        if (trackMax > 0.0f) {
            const float v = track_[static_cast<std::size_t>(c)] / trackMax;
            const int h = static_cast<int>(std::lround(v * (kAttentionH - 3)));
            painter.fillRect(QRect(x, y + kAttentionH - 1 - h, kCellW - 1, h),
                             QColor::fromRgb(colourOf(map, ColourRange{0.0, 1.0, ColourScale::Linear}, v)));
        }
    }
}

void MsaView::paintNames(QPainter& painter, const QSize& size, const Window& w) const
{
    painter.fillRect(QRect(0, 0, kNameW, size.height()), QColor(245, 245, 245));
    QFont f = painter.font();
    f.setPixelSize(11);
    painter.setFont(f);
    painter.setPen(QColor(60, 60, 60));
    const QFontMetrics fm(f);
    const auto name = [&](const QString& text, int y, int h, bool bold) {
        QFont g = f;
        g.setBold(bold);
        painter.setFont(g);
        painter.drawText(QRect(4, y, kNameW - 8, h), Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(text, Qt::ElideRight, kNameW - 8));
    };
    int y = kRulerH;
    name(tr("Conservation"), y, kConservationH, false);
    name(tr("Gaps"), y += kConservationH, kGapsH, false);
    name(tr("Consensus"), y += kGapsH, kConsensusH, false);
    QString attention = tr("Row attention");
    if (state_->hasRun() && state_->token() >= 0 && state_->token() < state_->run().length())
        attention += " " + state_->run().tokens[state_->token()] + QString(" L%1 H%2").arg(state_->layer()).arg(state_->head());
    name(track_.empty() ? tr("Row attention (click)") : attention, y += kConsensusH, kAttentionH, false);
    name(QString::fromStdString(msa_->rows.front().name), y += kAttentionH, kCellH, true);
    for (int r = 0; r < w.rows; ++r) {
        const int top = headerHeight() + r * kCellH - w.yShift;
        if (top >= size.height())
            break;
        if (top + kCellH > headerHeight())
            name(QString::fromStdString(msa_->rows[static_cast<std::size_t>(w.row0 + r)].name), top, kCellH, false);
    }
}

void MsaView::paintAll(QPainter& painter, const QSize& size, const Window& w, bool glyphCache) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    if (!msa_) {
        painter.setPen(Qt::darkGray);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, tr("Open an alignment"));
        return;
    }
    const int header = headerHeight();
    painter.save();
    painter.setClipRect(QRect(kNameW, header, size.width() - kNameW, size.height() - header));
    for (int r = 0; r < w.rows; ++r)
        paintRow(painter, w.row0 + r, header + r * kCellH - w.yShift, w, size.width(), glyphCache);
    painter.setClipRect(QRect(kNameW, 0, size.width() - kNameW, header));
    paintRow(painter, 0, header - kCellH - 2, w, size.width(), glyphCache);
    paintTracks(painter, size, w);
    painter.setClipRect(QRect(kNameW, 0, size.width() - kNameW, size.height()));
    const auto outline = [&](int c, const QColor& colour, int width) {
        const int x = kNameW + (c - w.column0) * kCellW - w.xShift;
        painter.setPen(QPen(colour, width));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRect(x, kRulerH, kCellW - 1, size.height() - kRulerH - 1));
    };
    for (int c : highlighted_)
        outline(c, QColor(230, 30, 30), 2);
    if (column_ >= 0)
        outline(column_, Qt::black, 1);
    painter.restore();
    painter.setPen(QColor(120, 120, 120));
    painter.drawLine(kNameW, header - 1, size.width(), header - 1);
    paintNames(painter, size, w);
}

void MsaView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    paintAll(painter, viewport()->size(), windowFor(viewport()->size(), horizontalScrollBar()->value(), verticalScrollBar()->value()), true);
}

void MsaView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void MsaView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void MsaView::updateScrollBars()
{
    const int columns = msa_ ? static_cast<int>(msa_->columns()) : 0, rows = msa_ ? static_cast<int>(msa_->sequences()) : 0;
    const QSize v = viewport()->size();
    horizontalScrollBar()->setRange(0, std::max(0, columns * kCellW - (v.width() - kNameW)));
    horizontalScrollBar()->setPageStep(std::max(kCellW, v.width() - kNameW));
    verticalScrollBar()->setRange(0, std::max(0, (rows - 1) * kCellH - (v.height() - headerHeight())));
    verticalScrollBar()->setPageStep(std::max(kCellH, v.height() - headerHeight()));
}

void MsaView::updateTrack()
{
    track_.clear();
    const int token = state_->token();
    if (!msa_ || !run_ || state_->run().result.get() != run_ || token < 0 || token >= state_->run().length())
        return;
    const RowVector row = state_->run().result->attention.row(state_->layer(), state_->head(), token);
    track_.assign(profiles_.size(), 0.0f);
    for (std::size_t c = 0; c < track_.size(); ++c)
        if (tokenOfColumn_[c] >= 0 && tokenOfColumn_[c] < row.size())
            track_[c] = row[tokenOfColumn_[c]];
}

void MsaView::mousePressEvent(QMouseEvent* event)
{
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() < 0)
        return;
    selectColumn(cell.x());
    const int token = tokenOfColumn_[static_cast<std::size_t>(cell.x())];
    if (cell.y() >= 0 && token >= 0)
        state_->selectToken(token);
}

void MsaView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() < 0) {
        QToolTip::hideText();
        return;
    }
    const ColumnProfile& p = profiles_[static_cast<std::size_t>(cell.x())];
    QString text = tr("Column %1: consensus %2 (%3 %), conservation %4, gaps %5 %").arg(cell.x() + 1).arg(QChar(p.consensus))
                       .arg(100.0 * p.consensusFraction, 0, 'f', 0).arg(p.conservation, 0, 'f', 2).arg(100.0 * p.gapFraction, 0, 'f', 0);
    if (cell.y() >= 0)
        text = QString::fromStdString(msa_->rows[static_cast<std::size_t>(cell.y())].name).section(' ', 0, 0) + ": "
            + QChar(msa_->rows[static_cast<std::size_t>(cell.y())].residues[static_cast<std::size_t>(cell.x())]) + "\n" + text;
    if (!track_.empty())
        text += tr("\nrow attention %1").arg(track_[static_cast<std::size_t>(cell.x())], 0, 'g', 3);
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

QSize MsaView::figureSize() const
{
    if (isVisible() || !msa_) // what is on screen
        return viewport()->size().expandedTo(QSize(400, 200));
    const int columns = static_cast<int>(msa_->columns()), rows = static_cast<int>(msa_->sequences()); // headless: up to 1400 x 1000
    return {std::min(1400, kNameW + columns * kCellW), std::min(1000, headerHeight() + (rows - 1) * kCellH)};
}

void MsaView::paintFigure(QPainter& painter, const QSize& size) const
{
    paintAll(painter, size, windowFor(size, horizontalScrollBar()->value(), verticalScrollBar()->value()), false);
}

FigureData MsaView::figureData() const
{
    FigureData d;
    d.columns = {"column", "query", "consensus", "consensus_fraction", "conservation", "gap_fraction", "row_attention"};
    if (!msa_)
        return d;
    const auto n = static_cast<Index>(profiles_.size());
    d.array.shape = {n, 4};
    d.array.data.resize(static_cast<std::size_t>(n) * 4);
    for (Index c = 0; c < n; ++c) {
        const ColumnProfile& p = profiles_[static_cast<std::size_t>(c)];
        const float attention = track_.empty() ? std::nanf("") : track_[static_cast<std::size_t>(c)];
        d.rows.push_back({QString::number(c + 1), QString(QChar(msa_->rows.front().residues[static_cast<std::size_t>(c)])),
                          QString(QChar(p.consensus)), QString::number(p.consensusFraction), QString::number(p.conservation),
                          QString::number(p.gapFraction), track_.empty() ? QString() : QString::number(attention)});
        const float values[4] = {p.conservation, p.consensusFraction, p.gapFraction, attention};
        std::copy(values, values + 4, d.array.data.begin() + c * 4);
    }
    return d;
}

QString MsaView::figureTitle() const
{
    return msa_ ? tr("Alignment of %1 sequences x %2 columns").arg(msa_->sequences()).arg(msa_->columns()) : tr("Alignment");
}

} // namespace attn::widgets
