#pragma once
/// @file ContactMapView.h
/// Residue contacts in the query's numbering: a predictor (the model's contact head, the selected
/// head's symmetrised, APC-corrected attention, or the MI-APC coevolution baseline) in the upper
/// triangle, the structure's true contacts in the lower (black: contact, grey: no coordinates),
/// the predictor's top L pairs at least 6 apart ringed above the diagonal (green when the
/// structure has the contact, red when not), and beside it the predictor's precision at L, L/2 and L/5 per range with the other
/// predictors' long-range P@L for comparison. Hovering names the pair in the structure's own
/// numbering; clicking emits it (the alignment view marks its columns, the 3D view its residues).

#include "common/ExplorerState.h"
#include "common/FigureSource.h"
#include "interpret/ContactEvaluation.h"

#include <QImage>
#include <QWidget>

#include <functional>
#include <optional>

namespace attn::widgets {

/// What the view compares: every matrix [L, L] in query numbering.
struct ContactSources {
    Matrix contactHead;                          ///< The model's contact head (empty before a run).
    QString contactHeadName = QStringLiteral("contact head"); ///< What it is: "mean over heads" for a model without one.
    Matrix baseline;                             ///< MI-APC of the alignment.
    /// (store, layer, head) -> that head's map: the run's attention, or a decomposition shown in its
    /// place (ExplorerState::shownStore, one "head" per layer); null before a run.
    std::function<Matrix(const AttentionStore&, int, int)> headMap;
    Matrix truth;                                ///< trueContacts (empty without a structure).
    QStringList residueLabels;                   ///< Per query residue: "GLY 57" (structure) or "G57" (query).
};

/// Which predictor is drawn.
enum class ContactSource { ContactHead, SelectedHead, Baseline };

/// The contact map.
class ContactMapView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit ContactMapView(ExplorerState* state, QWidget* parent = nullptr);

    /// Replaces what is compared (keeps the chosen source).
    void setSources(ContactSources sources);
    /// Chooses the predictor drawn.
    void setSource(ContactSource source);
    ContactSource source() const { return source_; }
    /// The predictor drawn [L, L] (empty when it has none yet).
    const Matrix& predicted() const { return predicted_; }
    /// Its precision against the structure (none without a structure or a predictor).
    const std::optional<ContactPrecision>& precision() const { return precision_; }
    /// The predictor's top L pairs 6 or more apart (i < j), best first.
    const std::vector<QPoint>& topPairs() const { return top_; }
    /// A note when the predictor scores every pair alike (its spread is below a thousandth of
    /// its mean): "the contact head scores every pair alike: 0.02504 ± 1e-06"; empty otherwise.
    const QString& flatNote() const { return flatNote_; }
    /// The legend's lines: with a structure, what green and red rings, black and grey cells mean;
    /// without one, only that the white rings are the top pairs.
    QStringList legendEntries() const;
    /// The (i, j) query residues under a widget position, or (-1, -1).
    QPoint pairAt(const QPointF& pos) const;
    /// The text hovering over (i, j) shows.
    QString describePair(int i, int j) const;

    QSize figureSize() const override { return {890, 560}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {890, 560}; }

signals:
    /// A residue pair was clicked (query numbering, 0-based).
    void pairClicked(int i, int j);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    void refresh();
    void rankTopPairs();
    void measureRange();
    void drawImage();
    void paintRings(QPainter& painter, const QRectF& plot) const;
    void paintLegend(QPainter& painter, QRectF area) const;
    bool hasTruth() const; ///< A structure's true contacts for the predictor's residues.
    QRectF plotRect(const QSize& size) const;
    QString sourceName(ContactSource source) const;
    void paintPrecision(QPainter& painter, const QRectF& area) const;

    ExplorerState* state_;
    ContactSources sources_;
    ContactSource source_ = ContactSource::ContactHead;
    Matrix predicted_;
    std::optional<ContactPrecision> precision_;
    std::array<std::optional<double>, 3> longAtL_{}; ///< Each source's long-range P@L.
    ColourRange range_;                               ///< Of the predictor's upper triangle.
    std::vector<QPoint> top_;                         ///< The predictor's top L pairs (i < j, 6+ apart).
    QImage image_;
    QString flatNote_;                                ///< See flatNote().
};

} // namespace attn::widgets
