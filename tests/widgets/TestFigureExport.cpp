// Figure and data export: SVG parses and holds the labels, PDF is a PDF, PNG has the
// requested size, is not blank and is the view as painted directly; CSV and NPY hold the data;
// bad paths give clear errors; a cancelled export leaves the file at the path as it was.

#include "export/FigureExport.h"
#include "map/AttentionMapView.h"
#include "util/Error.h"
#include "util/Progress.h"

#include "ViewTestSupport.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

/// Asks to cancel from its `after`-th check on (each band of a PNG checks once, then every
/// buffer the file's writer hands over does).
class CancelAfterChecks : public Progress {
public:
    explicit CancelAfterChecks(int after) : after_(after) {}
    bool cancelled() const override { return ++checks_ > after_; }
    int checks() const { return checks_; }

private:
    int after_;
    mutable int checks_ = 0;
};

} // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    ExplorerState state_;
    AttentionMapView* view_ = nullptr;

    QString file(const char* name) const { return tmp_.path() + "/" + name; }

private slots:
    void initTestCase()
    {
        state_.setRun(goldenRun());
        view_ = new AttentionMapView(&state_);
        view_->resize(640, 600);
    }
    void cleanupTestCase() { delete view_; }

    void svgIsVectorWithLabels()
    {
        exportFigure(*view_, file("map.svg"));
        QSvgRenderer renderer(file("map.svg"));
        QVERIFY(renderer.isValid());
        QFile f(file("map.svg"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        QStringList texts;
        int rects = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("text"))
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            else if (xml.isStartElement() && (xml.name() == QLatin1String("rect") || xml.name() == QLatin1String("path")))
                ++rects;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(texts.contains("[CLS] 0") && texts.contains("[UNK] 5") && texts.contains("weight"),
                 qPrintable(texts.join('|')));
        QVERIFY(texts.contains("Layer 0, head 0 — “rec”"));
        QVERIFY2(rects >= 13 * 13, qPrintable(QString::number(rects))); // cells are vector shapes
    }
    void pdfIsAPdfPage()
    {
        exportFigure(*view_, file("map.pdf"), 300);
        QFile f(file("map.pdf"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
        QVERIFY(bytes.size() > 2000);
        // and a real PDF reader (poppler's pdfinfo) opens it: one page of the figure's size
        QProcess info;
        info.start("pdfinfo", {file("map.pdf")});
        QVERIFY2(info.waitForFinished(30000), "pdfinfo (poppler-utils) did not run");
        QCOMPARE(info.exitCode(), 0);
        const QString out = QString::fromUtf8(info.readAllStandardOutput());
        QVERIFY2(out.contains(QRegularExpression("Pages:\\s+1\\b")), qPrintable(out));
        const QSize points = view_->figureSize() * 72 / 96;
        QVERIFY2(out.contains(QRegularExpression(QString("Page size:\\s+%1 x %2 pts").arg(points.width()).arg(points.height()))),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("Title:\\s+Layer 0, head 0 — “rec”")), qPrintable(out));
    }
    void pngHasTheRequestedSizeAndContent()
    {
        exportFigure(*view_, file("map.png"), 192);
        const QImage image(file("map.png"));
        QCOMPARE(image.size(), view_->figureSize() * 2);
        QVERIFY(distinctColours(image) > 50);
        QVERIFY(std::abs(image.dotsPerMeterX() - 192 / 0.0254) < 2);
    }
    void pngIsTheViewPaintedDirectly()
    {
        // recorded once, then played back in bands of rows (480 DPI: 3200 x 3000 pixels, five
        // bands): the figure painted straight into one image, but for what a recording cannot
        // keep exactly (a fill rectangle replayed as a drawn one can move an edge by a pixel; a
        // scaled image's sampling and glyphs' antialiasing by a level or two). Measured here:
        // 1.4 % of the pixels differ, 0.13 % by more than 64 levels, 0.22 levels on average. Text
        // at another DPI, a band misplaced or drawn twice would differ far more.
        exportFigure(*view_, file("banded.png"), 480);
        const QImage exported = QImage(file("banded.png")).convertToFormat(QImage::Format_ARGB32);
        QImage direct(view_->figureSize() * 5, QImage::Format_ARGB32);
        direct.fill(Qt::white);
        direct.setDotsPerMeterX(static_cast<int>(std::lround(96 / 0.0254)));
        direct.setDotsPerMeterY(static_cast<int>(std::lround(96 / 0.0254)));
        {
            QPainter p(&direct);
            p.setRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::TextAntialiasing);
            p.scale(5, 5);
            view_->paintFigure(p, view_->figureSize());
        }
        QCOMPARE(exported.size(), direct.size());
        qint64 far = 0;
        double sum = 0;
        for (int y = 0; y < direct.height(); ++y) {
            const auto* a = reinterpret_cast<const QRgb*>(exported.constScanLine(y));
            const auto* b = reinterpret_cast<const QRgb*>(direct.constScanLine(y));
            for (int x = 0; x < direct.width(); ++x) {
                const int d = std::max({std::abs(qRed(a[x]) - qRed(b[x])), std::abs(qGreen(a[x]) - qGreen(b[x])),
                                        std::abs(qBlue(a[x]) - qBlue(b[x]))});
                far += d > 64;
                sum += d;
            }
        }
        const double pixels = static_cast<double>(direct.width()) * direct.height();
        QVERIFY2(far < 0.005 * pixels && sum / pixels < 1.0,
                 qPrintable(QString("%1 % differ by more than 64 levels, %2 levels on average").arg(100.0 * far / pixels).arg(sum / pixels)));
    }
    void cancelledExportLeavesTheFileAsItWas_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("after");
        QTest::newRow("png, while drawing") << "c.png" << 2;
        QTest::newRow("png, while writing") << "c.png" << 8;
        QTest::newRow("svg") << "c.svg" << 0;
        QTest::newRow("pdf") << "c.pdf" << 0;
        QTest::newRow("csv") << "c.csv" << 0;
        QTest::newRow("npy") << "c.npy" << 0;
    }
    void cancelledExportLeavesTheFileAsItWas()
    {
        QFETCH(QString, name);
        QFETCH(int, after);
        QTemporaryDir folder;
        const QString path = folder.path() + "/" + name;
        writeText(path.toStdString(), "what was there before");
        const ExportSnapshot snapshot = takeExport(*view_, path, 480);
        CancelAfterChecks cancel(after);
        bool stopped = false;
        try {
            writeExport(snapshot, cancel);
        } catch (const Cancelled&) {
            stopped = true;
        }
        QVERIFY(stopped);
        QVERIFY2(cancel.checks() > after, qPrintable(QString::number(cancel.checks())));
        QCOMPARE(QString::fromStdString(readText(path.toStdString())), QString("what was there before"));
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{name}); // nothing left beside it
        // uncancelled, the same snapshot replaces the file
        Progress uncancelled;
        writeExport(snapshot, uncancelled);
        QVERIFY(readText(path.toStdString()) != "what was there before");
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{name});
    }
    void everyResolutionShowsTheSameFigure()
    {
        // text scales with the cells: a 288-DPI PNG shrunk 3x, and the PDF rendered by poppler
        // at 96 DPI, look like the 96-DPI PNG (text enlarged twice would not)
        exportFigure(*view_, file("at96.png"), 96);
        exportFigure(*view_, file("at288.png"), 288);
        const QImage natural = QImage(file("at96.png")).convertToFormat(QImage::Format_RGB32);
        const QImage shrunk = QImage(file("at288.png")).scaled(natural.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                                  .convertToFormat(QImage::Format_RGB32);
        const double pngDifference = meanDifference(natural, shrunk);
        QVERIFY2(pngDifference < 6.0, qPrintable(QString::number(pngDifference)));
        exportFigure(*view_, file("page.pdf"), 300);
        QProcess render;
        render.start("pdftoppm", {"-r", "96", "-png", "-singlefile", file("page.pdf"), file("page")});
        QVERIFY2(render.waitForFinished(30000) && render.exitCode() == 0, "pdftoppm (poppler-utils) did not run");
        const QImage page = QImage(file("page.png")).scaled(natural.size()).convertToFormat(QImage::Format_RGB32);
        const double pdfDifference = meanDifference(natural, page);
        QVERIFY2(pdfDifference < 12.0, qPrintable(QString::number(pdfDifference)));
        // the old fault, text enlarged twice (a 288-DPI device and a 3x painter), fails that test
        QImage doubled(natural.size() * 3, QImage::Format_ARGB32);
        doubled.fill(Qt::white);
        doubled.setDotsPerMeterX(static_cast<int>(288 / 0.0254));
        doubled.setDotsPerMeterY(static_cast<int>(288 / 0.0254));
        {
            QPainter p(&doubled);
            p.scale(3, 3);
            view_->paintFigure(p, view_->figureSize());
        }
        const QImage doubledShrunk = doubled.scaled(natural.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                                         .convertToFormat(QImage::Format_RGB32);
        QVERIFY(meanDifference(natural, doubledShrunk) > 6.0);
    }
    void dataAsCsvAndNpy()
    {
        exportData(*view_, file("map.csv"));
        const QStringList lines = QString::fromStdString(readText(file("map.csv").toStdString())).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 13 * 13);
        QCOMPARE(lines[0], QString("query_index,query_token,key_index,key_token,weight"));
        QVERIFY(lines[1].startsWith("0,[CLS],0,[CLS],"));
        exportData(*view_, file("map.npy"));
        const Tensor t = readNpy(file("map.npy").toStdString());
        QCOMPARE(t.shape, (std::vector<std::int64_t>{13, 13}));
        QCOMPARE(t.data[14], state_.run().result->attention.weight(0, 0, 1, 1));
    }
    void badTargetsGiveClearErrors()
    {
        const auto unknown = thrownMessage<IoError>([&] { exportFigure(*view_, file("map.bmp")); });
        QVERIFY(unknown && unknown->find("map.bmp: unknown figure format '.bmp'") != std::string::npos);
        const QString missing = tmp_.path() + "/no/such/dir/map.pdf";
        const auto pdf = thrownMessage<IoError>([&] { exportFigure(*view_, missing); });
        QVERIFY(pdf && pdf->find("map.pdf: cannot write") != std::string::npos);
        const auto csv = thrownMessage<IoError>([&] { exportData(*view_, tmp_.path() + "/no/such/dir/map.csv"); });
        QVERIFY(csv && csv->find("map.csv: cannot write") != std::string::npos);
        QVERIFY(thrownMessage<IoError>([&] { exportFigure(*view_, file("x.png"), 5); }).has_value());
    }
};

QTEST_MAIN(TestFigureExport)
#include "TestFigureExport.moc"
