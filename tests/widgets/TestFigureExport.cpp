// Figure and data export: SVG parses and holds the labels, PDF is a PDF, PNG has the
// requested size and is not blank, CSV and NPY hold the data; bad paths give clear errors.

#include "export/FigureExport.h"
#include "map/AttentionMapView.h"
#include "util/Error.h"

#include "ViewTestSupport.h"

#include <QFile>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTest>
#include <QXmlStreamReader>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

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
        QVERIFY(texts.contains("Layer 0, head 0 - rec"));
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
        QVERIFY2(out.contains(QRegularExpression("Title:\\s+Layer 0, head 0 - rec")), qPrintable(out));
    }
    void pngHasTheRequestedSizeAndContent()
    {
        exportFigure(*view_, file("map.png"), 192);
        const QImage image(file("map.png"));
        QCOMPARE(image.size(), view_->figureSize() * 2);
        QVERIFY(distinctColours(image) > 50);
        QVERIFY(std::abs(image.dotsPerMeterX() - 192 / 0.0254) < 2);
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
