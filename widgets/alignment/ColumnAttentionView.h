#pragma once
/// @file ColumnAttentionView.h
/// The MSA Transformer's column attention at one column: which sequences attend to which
/// (query row x key row, the query sequence first), for the selected layer and head, as a
/// heatmap with the sequences' names. Follows the shared selection of layer and head; the column
/// comes from the alignment view.

#include "attention/AttentionStore.h"
#include "common/ExplorerState.h"
#include "common/FigureSource.h"

#include <QImage>
#include <QWidget>

#include <memory>

namespace attn::widgets {

/// Column attention of one column.
class ColumnAttentionView : public QWidget, public FigureSource {
    Q_OBJECT
public:
    explicit ColumnAttentionView(ExplorerState* state, QWidget* parent = nullptr);

    /// The run's column attention: per layer heads * tokens maps of R x R (head h * tokens + t);
    /// null for a run without any (ESM). `names` are the R sequences as run.
    void setStore(std::shared_ptr<const AttentionStore> store, int heads, Index tokens, QStringList names);
    /// Shows the map of this token column (1 + alignment column; 0 is <cls>).
    void setToken(int token, const QString& label);
    /// The map shown [R, R] (empty when there is none).
    const Matrix& shown() const { return shown_; }

    QSize figureSize() const override { return {600, 460}; }
    void paintFigure(QPainter& painter, const QSize& size) const override;
    FigureData figureData() const override;
    QString figureTitle() const override;
    QSize sizeHint() const override { return {420, 420}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void refresh();
    QRectF plotRect(const QSize& size) const;
    void paintSequenceLabels(QPainter& painter, const QRectF& plot) const;

    ExplorerState* state_;
    std::shared_ptr<const AttentionStore> store_;
    int heads_ = 0;
    Index tokens_ = 0;
    QStringList names_;
    int token_ = -1;
    QString label_;
    Matrix shown_;
    QImage image_;
};

} // namespace attn::widgets
