#include "export/FigureExport.h"

#include "export/ExportFile.h"
#include "io/Nifti.h"
#include "io/Npy.h"
#include "util/Error.h"
#include "util/Progress.h"

#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPicture>
#include <QSvgGenerator>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace attn::widgets {
namespace {

constexpr qint64 kBandPixels = 2'000'000; ///< A PNG is drawn this many pixels at a time between Cancel checks.

[[noreturn]] void fail(const QString& path, const QString& what)
{
    throw IoError(path.toStdString() + ": " + what.toStdString());
}

QString suffixOf(const QString& path)
{
    return QFileInfo(path).suffix().toLower();
}

/// A recording whose fonts resolve at 96 DPI, as on the devices it is played on. A plain QPicture
/// takes the screen's logical DPI: 96 under Qt 6's high-DPI scaling, but 144 on a 144-DPI X
/// screen with QT_ENABLE_HIGHDPI_SCALING=0 (measured), which would lay the text out larger.
/// (QTest sets Qt::AA_Use96Dpi, so the tests cannot show the difference.)
class FigurePicture : public QPicture {
protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return 96;
        default:
            return QPicture::metric(metric);
        }
    }
};

/// Height of the caption band an intervened run's figure gets above it (96-DPI units).
constexpr int kCaptionHeight = 22;

std::shared_ptr<QPicture> recordFigure(const FigureSource& source, const QSize& size, double scale, bool raster, const QString& caption)
{
    auto picture = std::make_shared<FigurePicture>();
    QPainter p(picture.get());
    if (raster) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
    }
    p.scale(scale, scale);
    if (!caption.isEmpty()) { // "intervened: L2H5 zeroed" above the figure, in every figure format
        p.fillRect(QRect(0, 0, size.width(), kCaptionHeight), Qt::white);
        p.setPen(QColor(170, 30, 30));
        p.drawText(QRect(6, 0, size.width() - 12, kCaptionHeight), Qt::AlignLeft | Qt::AlignVCenter, caption);
        p.translate(0, kCaptionHeight);
    }
    source.paintFigure(p, size);
    return picture;
}

void setResolution(QImage& image, int dpi)
{
    image.setDotsPerMeterX(static_cast<int>(std::lround(dpi / 0.0254)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(dpi / 0.0254)));
}

/// Plays the recording into `image` a band of rows at a time (each band a view onto the
/// image's own rows, so nothing is drawn twice), checking for a Cancel between bands.
void drawInBands(const QPicture& figure, QImage& image, Progress& progress)
{
    const int rows = std::max<int>(32, static_cast<int>(kBandPixels / std::max(1, image.width())));
    for (int y = 0; y < image.height(); y += rows) {
        progress.step(y, image.height(), "drawing");
        const int height = std::min(rows, image.height() - y);
        QImage band(image.bits() + static_cast<qsizetype>(y) * image.bytesPerLine(), image.width(), height,
                    image.bytesPerLine(), image.format());
        setResolution(band, 96); // fonts were resolved at 96 DPI when recorded
        QPainter p(&band);
        p.translate(0, -y);
        p.drawPicture(0, 0, figure);
    }
}

void writePng(const ExportSnapshot& s, Progress& progress)
{
    const QSize pixels = (QSizeF(s.size) * (s.dpi / 96.0)).toSize();
    QImage image(pixels, QImage::Format_ARGB32);
    if (image.isNull())
        fail(s.path, QString("a %1 x %2 pixel image (%3 DPI) does not fit in memory; choose a lower resolution")
                         .arg(pixels.width()).arg(pixels.height()).arg(s.dpi));
    image.fill(Qt::white);
    drawInBands(*s.figure, image, progress);
    setResolution(image, s.dpi); // the file says its resolution
    ExportFile file(s.path, "the PNG file", progress);
    file.openOrThrow();
    progress.step(0, 0, "writing the PNG file");
    QImageWriter writer(&file, "png");
    if (!writer.write(image)) {
        file.throwIfCancelled();
        fail(s.path, "cannot write the PNG file (" + writer.errorString() + ")");
    }
    file.commitOrThrow();
}

void writeSvg(const ExportSnapshot& s, Progress& progress)
{
    ExportFile file(s.path, "the SVG file", progress);
    file.openOrThrow();
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(s.size);
    svg.setViewBox(QRect(QPoint(0, 0), s.size));
    svg.setResolution(96);
    svg.setTitle(s.title);
    svg.setDescription("attnscope figure");
    QPainter p;
    if (!p.begin(&svg))
        fail(s.path, "cannot write the SVG file");
    p.drawPicture(0, 0, *s.figure);
    p.end();
    file.commitOrThrow();
}

void writePdf(const ExportSnapshot& s, Progress& progress)
{
    ExportFile file(s.path, "the PDF file", progress);
    file.openOrThrow();
    QPdfWriter pdf(&file);
    pdf.setTitle(s.title);
    pdf.setCreator("attnscope");
    // Vector output in the figure's own 96-DPI units (fonts resolve at the writer's resolution,
    // so a higher one with a scaled painter would enlarge text); images keep their own pixels.
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(s.size) * 72.0 / 96.0, QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter p;
    if (!p.begin(&pdf))
        fail(s.path, "cannot write the PDF file");
    p.drawPicture(0, 0, *s.figure);
    p.end();
    file.commitOrThrow();
}

QString csvField(const QString& s)
{
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n'))
        return s;
    QString q = s;
    q.replace("\"", "\"\"");
    return "\"" + q + "\"";
}

void writeCsv(const ExportSnapshot& s, Progress& progress)
{
    ExportFile file(s.path, "the CSV file", progress);
    file.openOrThrow();
    QTextStream out(&file);
    auto line = [&](const QStringList& fields) {
        QStringList quoted;
        for (const QString& f : fields)
            quoted << csvField(f);
        out << quoted.join(',') << '\n';
    };
    line(s.data.columns);
    for (const QStringList& row : s.data.rows)
        line(row);
    out.flush();
    file.commitOrThrow();
}

void writeNpyFile(const ExportSnapshot& s, Progress& progress)
{
    ExportFile file(s.path, "the NPY file", progress);
    file.openOrThrow();
    const std::string bytes = encodeNpy(s.data.array);
    constexpr std::size_t kChunk = 1 << 20;
    for (std::size_t at = 0; at < bytes.size(); at += kChunk)
        file.write(bytes.data() + at, static_cast<qint64>(std::min(kChunk, bytes.size() - at)));
    file.commitOrThrow();
}

} // namespace

QStringList dataSuffixes()
{
    return {"csv", "npy"};
}

bool isNiftiPath(const QString& path)
{
    return path.endsWith(".nii", Qt::CaseInsensitive) || path.endsWith(".nii.gz", Qt::CaseInsensitive);
}

ExportSnapshot takeExport(const FigureSource& source, const QString& path, int dpi)
{
    ExportSnapshot s;
    s.path = path;
    s.suffix = isNiftiPath(path) ? QString("nii") : suffixOf(path);
    s.dpi = dpi;
    s.size = source.figureSize();
    s.title = source.figureTitle();
    if (s.suffix == "nii") {
        s.volume = source.figureVolume();
        if (!s.volume)
            fail(path, "this figure has no volume behind it to write as NIfTI");
        return s;
    }
    if (dataSuffixes().contains(s.suffix)) {
        s.data = source.figureData();
        return s;
    }
    if (s.suffix != "png" && s.suffix != "svg" && s.suffix != "pdf")
        fail(path, "unknown figure format '." + s.suffix + "' (expected .png, .svg or .pdf)");
    if (dpi < 24 || dpi > 2400)
        fail(path, QString("a resolution of %1 DPI is outside 24 to 2400").arg(dpi));
    const bool png = s.suffix == "png";
    const QString caption = interventionCaption(s.title);
    s.figure = recordFigure(source, s.size, png ? dpi / 96.0 : 1.0, png, caption);
    if (!caption.isEmpty())
        s.size.rheight() += kCaptionHeight;
    return s;
}

void writeExport(const ExportSnapshot& snapshot, Progress& progress)
{
    const QString& suffix = snapshot.suffix;
    if (suffix == "png")
        writePng(snapshot, progress);
    else if (suffix == "svg")
        writeSvg(snapshot, progress);
    else if (suffix == "pdf")
        writePdf(snapshot, progress);
    else if (suffix == "csv")
        writeCsv(snapshot, progress);
    else if (suffix == "npy")
        writeNpyFile(snapshot, progress);
    else if (suffix == "nii")
        writeNifti(snapshot.path.toStdString(), *snapshot.volume);
    else
        fail(snapshot.path, "unknown format '." + suffix + "'");
}

void exportFigure(const FigureSource& source, const QString& path, int dpi)
{
    if (dataSuffixes().contains(suffixOf(path)))
        fail(path, "unknown figure format '." + suffixOf(path) + "' (expected .png, .svg or .pdf)");
    exportAny(source, path, dpi);
}

void exportData(const FigureSource& source, const QString& path)
{
    if (!dataSuffixes().contains(suffixOf(path)))
        fail(path, "unknown data format '." + suffixOf(path) + "' (expected .csv or .npy)");
    exportAny(source, path);
}

void exportAny(const FigureSource& source, const QString& path, int dpi)
{
    Progress uncancelled;
    writeExport(takeExport(source, path, dpi), uncancelled);
}

} // namespace attn::widgets
