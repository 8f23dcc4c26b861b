#include "export/FigureExport.h"

#include "io/Npy.h"
#include "util/Error.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextStream>

#include <cmath>

namespace attn::widgets {
namespace {

[[noreturn]] void fail(const QString& path, const QString& what)
{
    throw IoError(path.toStdString() + ": " + what.toStdString());
}

QString suffixOf(const QString& path)
{
    return QFileInfo(path).suffix().toLower();
}

void writePng(const FigureSource& source, const QString& path, int dpi)
{
    const QSize size = source.figureSize();
    const double scale = dpi / 96.0;
    QImage image((QSizeF(size) * scale).toSize(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    // Painted at 96 logical DPI and scaled: fonts take their pixel size from the device's DPI,
    // so painting at `dpi` AND scaling would enlarge text twice.
    image.setDotsPerMeterX(static_cast<int>(std::lround(96 / 0.0254)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(96 / 0.0254)));
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        p.scale(scale, scale);
        source.paintFigure(p, size);
    }
    image.setDotsPerMeterX(static_cast<int>(std::lround(dpi / 0.0254))); // the file says its resolution
    image.setDotsPerMeterY(static_cast<int>(std::lround(dpi / 0.0254)));
    if (!image.save(path, "PNG"))
        fail(path, "cannot write the PNG file");
}

void writeSvg(const FigureSource& source, const QString& path)
{
    const QSize size = source.figureSize();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setResolution(96);
    svg.setTitle(source.figureTitle());
    svg.setDescription("attnscope figure");
    QPainter p;
    if (!p.begin(&svg))
        fail(path, "cannot write the SVG file");
    source.paintFigure(p, size);
    p.end();
}

void writePdf(const FigureSource& source, const QString& path)
{
    const QSize size = source.figureSize();
    {
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly))
            fail(path, "cannot write the PDF file (" + probe.errorString() + ")");
    }
    QPdfWriter pdf(path);
    pdf.setTitle(source.figureTitle());
    pdf.setCreator("attnscope");
    // Vector output in the figure's own 96-DPI units (fonts resolve at the writer's resolution,
    // so a higher one with a scaled painter would enlarge text); images keep their own pixels.
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / 96.0, QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter p;
    if (!p.begin(&pdf))
        fail(path, "cannot write the PDF file");
    source.paintFigure(p, size);
    p.end();
}

QString csvField(const QString& s)
{
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n'))
        return s;
    QString q = s;
    q.replace("\"", "\"\"");
    return "\"" + q + "\"";
}

void writeCsv(const FigureData& data, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        fail(path, "cannot write the CSV file (" + file.errorString() + ")");
    QTextStream out(&file);
    auto line = [&](const QStringList& fields) {
        QStringList quoted;
        for (const QString& f : fields)
            quoted << csvField(f);
        out << quoted.join(',') << '\n';
    };
    line(data.columns);
    for (const QStringList& row : data.rows)
        line(row);
    out.flush();
    if (!file.commit())
        fail(path, "cannot write the CSV file (" + file.errorString() + ")");
}

} // namespace

QStringList dataSuffixes()
{
    return {"csv", "npy"};
}

void exportFigure(const FigureSource& source, const QString& path, int dpi)
{
    if (dpi < 24 || dpi > 2400)
        fail(path, QString("a resolution of %1 DPI is outside 24 to 2400").arg(dpi));
    const QString suffix = suffixOf(path);
    if (suffix == "png")
        writePng(source, path, dpi);
    else if (suffix == "svg")
        writeSvg(source, path);
    else if (suffix == "pdf")
        writePdf(source, path);
    else
        fail(path, "unknown figure format '." + suffix + "' (expected .png, .svg or .pdf)");
}

void exportData(const FigureSource& source, const QString& path)
{
    const QString suffix = suffixOf(path);
    const FigureData data = source.figureData();
    if (suffix == "csv")
        writeCsv(data, path);
    else if (suffix == "npy")
        writeNpy(path.toStdString(), data.array);
    else
        fail(path, "unknown data format '." + suffix + "' (expected .csv or .npy)");
}

void exportAny(const FigureSource& source, const QString& path, int dpi)
{
    if (dataSuffixes().contains(suffixOf(path)))
        exportData(source, path);
    else
        exportFigure(source, path, dpi);
}

} // namespace attn::widgets
