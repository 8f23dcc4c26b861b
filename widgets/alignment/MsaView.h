#pragma once
/// @file MsaView.h
/// The alignment: the query pinned on top, every other row below it, residues in Clustal X
/// colours with Jalview's per-column thresholds (core msa/ColumnProfile), and tracks above the
/// rows: column numbers, conservation, consensus, and the row attention of the selected residue
/// (the selected layer and head of the run, one bar per column). Only the visible cells are
/// drawn, each from a cached glyph tile, so it scrolls smoothly at 1,000 x 1,000.
///
/// Clicking a residue selects its column and its token (the shared views then show its row
/// attention); clicking a track selects the column only. A column's column attention is shown
/// by whoever listens to columnSelected (the protein workspace's column attention view).

#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "msa/ColumnProfile.h"

#include <QAbstractScrollArea>
#include <QHash>
#include <QPixmap>

#include <memory>
#include <vector>

namespace attn::widgets {

/// An alignment with its tracks.
class MsaView : public QAbstractScrollArea, public FigureSource {
    Q_OBJECT
public:
    explicit MsaView(ExplorerState* state, QWidget* parent = nullptr);

    /// Shows an alignment with its column profiles (columnProfiles, one per column).
    void setAlignment(std::shared_ptr<const Msa> msa, std::vector<ColumnProfile> profiles);
    /// Replaces the column profiles of the alignment shown (one per column; computed later with
    /// sequence weights), keeping the selection and the scroll position.
    void setProfiles(std::vector<ColumnProfile> profiles);
    /// The token of each column (-1: none) in `run`, for the attention track and token
    /// selection; the track is drawn only while the shared state shows that run.
    void setColumnTokens(std::vector<int> tokenOfColumn, const RunResult* run);
    /// Marks columns (a contact pair clicked in the contact map); empty clears.
    void highlightColumns(std::vector<int> columns);
    /// The marked columns.
    const std::vector<int>& highlightedColumns() const { return highlighted_; }
    /// Scrolls so that the column is in view.
    void showColumn(int column);
    /// The selected column, or -1.
    int selectedColumn() const { return column_; }
    /// Selects a column (emits columnSelected).
    void selectColumn(int column);
    /// The (row, column) of the cell under a viewport position; row 0 is the query; (-1, -1)
    /// outside the cells. Row -1 with a column: the tracks above the rows.
    QPoint cellAt(const QPoint& viewportPos) const;
    /// The viewport rectangle of a cell (row 0: the pinned query).
    QRect cellRect(int row, int column) const;
    /// The row attention of the selected token per column (empty when none is selected).
    const std::vector<float>& attentionTrack() const { return track_; }
    /// The colour a residue is drawn with in its column (0xRRGGBB).
    std::uint32_t cellColour(int row, int column) const;

    QSize figureSize() const override;
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {900, 520}; }

signals:
    /// A column was selected (clicked, or selectColumn).
    void columnSelected(int column);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    /// Where things are for a given origin: the first column and body row drawn at the top left.
    struct Window {
        int column0 = 0, row0 = 1;  ///< First visible column and body row.
        int columns = 0, rows = 0;  ///< How many fit.
        int xShift = 0, yShift = 0; ///< Pixels of the first column and row scrolled out.
    };
    Window windowFor(const QSize& size, int scrollX, int scrollY) const;
    void paintAll(QPainter& painter, const QSize& size, const Window& w, bool glyphCache) const;
    void paintTracks(QPainter& painter, const QSize& size, const Window& w) const;
    void paintRow(QPainter& painter, int row, int y, const Window& w, int right, bool glyphCache) const;
    void paintNames(QPainter& painter, const QSize& size, const Window& w) const;
    const QPixmap& glyph(char residue, std::uint32_t colour) const;
    void updateTrack();
    void updateScrollBars();
    int headerHeight() const;

    static constexpr int kCellW = 10, kCellH = 14, kNameW = 170;
    static constexpr int kRulerH = 16, kConservationH = 24, kGapsH = 10, kConsensusH = 14, kAttentionH = 26;

    ExplorerState* state_;
    std::shared_ptr<const Msa> msa_;
    std::vector<ColumnProfile> profiles_;
    std::vector<int> tokenOfColumn_;
    const RunResult* run_ = nullptr;
    std::vector<int> highlighted_;
    std::vector<float> track_;
    int column_ = -1;
    mutable QHash<quint64, QPixmap> glyphs_;
};

} // namespace attn::widgets
