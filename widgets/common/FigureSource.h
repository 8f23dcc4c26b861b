#pragma once
/// @file FigureSource.h
/// What a view offers for export: a figure painted on any QPainter (screen image, SVG,
/// PDF: the same code), and the data behind it as a table (CSV), an array (NPY) and, for
/// figures of a study, a volume (NIfTI).

#include "tensor/Tensor.h"
#include "volume/VolumeGeometry.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QPainter;

namespace attn::widgets {

/// A figure's title naming the input it shows, as a quoted name ("Layer 1, head 2 — “4”"), so
/// that a record named "4" is never read as a range of heads; the title alone for no name.
inline QString titleFor(const QString& title, const QString& inputName)
{
    return inputName.isEmpty() ? title : title + QStringLiteral(" — “") + inputName + QStringLiteral("”");
}

/// The name of a run whose heads were changed, "rec1 [intervened: L2H5 zeroed]": every view's title
/// and every export made from it say so.
inline QString intervenedName(const QString& name, const QString& interventions)
{
    return name + QStringLiteral(" [intervened: ") + interventions + QStringLiteral("]");
}

/// The "intervened: ..." part of a title made from such a name, or empty: the caption exported
/// figures carry.
inline QString interventionCaption(const QString& title)
{
    const qsizetype at = title.lastIndexOf(QStringLiteral("[intervened: "));
    const qsizetype end = at < 0 ? -1 : title.indexOf(QLatin1Char(']'), at);
    return end < 0 ? QString() : title.mid(at + 1, end - at - 1);
}

/// The data behind a figure.
struct FigureData {
    QStringList columns;             ///< CSV header.
    std::vector<QStringList> rows;   ///< CSV rows (same length as columns).
    Tensor array;                    ///< The numbers as an array (NPY); may be empty.
};

/// Implemented by every exportable view.
class FigureSource {
public:
    virtual ~FigureSource() = default;
    /// Natural size of the figure in device-independent pixels (96 per inch).
    virtual QSize figureSize() const = 0;
    /// Paints the whole figure (content, labels, colour bar) into a rectangle of `size`
    /// at the painter's origin.
    virtual void paintFigure(QPainter& painter, const QSize& size) const = 0;
    /// The data shown.
    virtual FigureData figureData() const = 0;
    /// A title for the figure's metadata.
    virtual QString figureTitle() const = 0;
    /// A volume in patient space behind the figure, written as NIfTI (.nii, .nii.gz); null
    /// when it has none (the default).
    virtual std::shared_ptr<const Volume> figureVolume() const { return nullptr; }
};

} // namespace attn::widgets
