// The attention map as a person uses it: hover, click, zoom, head switches, long inputs.

#include "map/AttentionMapView.h"

#include "ViewTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

class TestAttentionMapView : public QObject {
    Q_OBJECT
    ExplorerState state_;
    AttentionMapView* view_ = nullptr;

private slots:
    void init()
    {
        state_.setRun(goldenRun());
        state_.select(1, 2);
        state_.selectToken(-1);
        view_ = new AttentionMapView(&state_);
        view_->resize(640, 600);
        view_->show();
        QVERIFY(QTest::qWaitForWindowExposed(view_));
    }
    void cleanup() { delete view_; }

    void hoverShowsTheWeightUnderTheMouse()
    {
        QSignalSpy spy(view_, &AttentionMapView::hovered);
        const QPoint at = view_->cellRect(3, 5).center().toPoint();
        QTest::mouseMove(view_, at);
        QTRY_VERIFY(!spy.isEmpty());
        const float expected = state_.run().result->attention.weight(1, 2, 3, 5);
        QCOMPARE(spy.last().at(0).toInt(), 3);
        QCOMPARE(spy.last().at(1).toInt(), 5);
        QCOMPARE(spy.last().at(2).toFloat(), expected);
        QVERIFY2(view_->readout().contains(QString::number(static_cast<double>(expected), 'f', 6)), qPrintable(view_->readout()));
        QVERIFY(view_->readout().contains("query 3 (G)") && view_->readout().contains("key 5 ([UNK])"));
    }
    void followsAnotherStateAndForgetsAClearedRun()
    {
        state_.selectToken(4);
        ExplorerState other; // another input's state: no run yet
        view_->setState(&other);
        QVERIFY(view_->figureData().array.data.empty()); // nothing of the first run is drawn
        QCOMPARE(view_->figureTitle(), QString("Layer 0, head 0"));
        state_.select(2, 3); // the state it left no longer moves it
        QCOMPARE(view_->figureTitle(), QString("Layer 0, head 0"));
        view_->setState(&state_);
        QVERIFY(view_->figureTitle().startsWith("Layer 2, head 3 — “"));
        // a re-run of the same input keeps the token; another input, or a cleared run, does not
        state_.setRun(goldenRun());
        QCOMPARE(state_.token(), 4);
        RunData shorter = goldenRun();
        shorter.tokens.last() = "X";
        state_.setRun(shorter);
        QCOMPARE(state_.token(), -1);
        QSignalSpy changed(&state_, &ExplorerState::runChanged);
        state_.clearRun();
        QCOMPARE(changed.count(), 1);
        QVERIFY(!state_.hasRun());
        QCOMPARE(state_.layer(), 0);
        QCOMPARE(state_.head(), 0);
        QCOMPARE(state_.token(), -1);
    }
    void clickSelectsTheQueryToken()
    {
        QSignalSpy spy(&state_, &ExplorerState::tokenChanged);
        QTest::mouseClick(view_, Qt::LeftButton, {}, view_->cellRect(7, 2).center().toPoint());
        QCOMPARE(state_.token(), 7);
        QCOMPARE(spy.count(), 1);
    }
    void followsTheSelectedHead()
    {
        state_.select(2, 3);
        const FigureData d = view_->figureData();
        const Matrix expected = state_.run().result->attention.head(2, 3);
        QCOMPARE(d.array.shape, (std::vector<std::int64_t>{13, 13}));
        QVERIFY(maxAbsDiff(expected, d.array) == 0.0f);
        QVERIFY(view_->figureTitle().startsWith("Layer 2, head 3"));
    }
    void wheelZoomsAndDoubleClickResets()
    {
        const QPoint at = view_->cellRect(6, 6).center().toPoint();
        QWheelEvent wheel(at, view_->mapToGlobal(at), {}, {0, 240}, Qt::NoButton, {}, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view_, &wheel);
        QVERIFY(view_->visibleCells().width() < 13.0);
        QVERIFY(view_->visibleCells().contains(QPointF(6.5, 6.5)));
        QTest::mouseDClick(view_, Qt::LeftButton, {}, at);
        QCOMPARE(view_->visibleCells(), QRectF(0, 0, 13, 13));
    }
    void dragPans()
    {
        view_->setVisibleCells(QRectF(0, 0, 6, 6));
        const QPoint from = view_->cellRect(3, 3).center().toPoint();
        QTest::mousePress(view_, Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(from - QPoint(100, 100)), view_->mapToGlobal(QPointF(from - QPoint(100, 100))),
                         Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(view_, &move);
        QTest::mouseRelease(view_, Qt::LeftButton, {}, from - QPoint(100, 100));
        QVERIFY(view_->visibleCells().x() > 0.0 && view_->visibleCells().y() > 0.0);
        QCOMPARE(view_->visibleCells().width(), 6.0);
        QCOMPARE(state_.token(), -1); // a drag is not a click
    }
    void logScaleRecolours()
    {
        const QPoint at = view_->cellRect(0, 0).center().toPoint();
        const QRgb linear = view_->grab().toImage().pixel(at);
        state_.setScale(ColourScale::Log);
        const QRgb log = view_->grab().toImage().pixel(at);
        state_.setScale(ColourScale::Linear);
        QVERIFY(linear != log);
    }
    void differenceOfTwoHeadsOnADivergingMap()
    {
        state_.setComparison(0, 1);
        const Matrix expected = state_.run().result->attention.head(1, 2) - state_.run().result->attention.head(0, 1);
        const FigureData d = view_->figureData();
        QVERIFY(maxAbsDiff(expected, d.array) == 0.0f);
        QCOMPARE(d.columns.last(), QString("difference"));
        QVERIFY(view_->figureTitle().startsWith("Layer 1, head 2 minus layer 0, head 1"));
        // the cell with the most negative difference gets coolwarm's lowest (blue) colour
        Index q = 0, k = 0;
        const float low = expected.minCoeff(&q, &k);
        const float high = expected.cwiseAbs().maxCoeff();
        const QColor c = view_->grab().toImage().pixelColor(view_->cellRect(static_cast<int>(q), static_cast<int>(k)).center().toPoint());
        const Rgb expectedColour = Colormap::byName("coolwarm").at((low + high) / (2 * high));
        QCOMPARE(c, QColor(expectedColour.r, expectedColour.g, expectedColour.b));
        QVERIFY(c.blue() > c.red());
        state_.setComparison(-1, -1);
        QVERIFY(!state_.comparing());
        QCOMPARE(view_->figureData().columns.last(), QString("weight"));
    }
    void longInputKeepsASingleSharpWeightVisible()
    {
        // L = 2048 drawn in about 500 pixels: max-pooling keeps the one strong weight visible.
        state_.setRun(spikeRun(2048, 1000, 1500));
        const QRectF cell = view_->cellRect(1000, 1500);
        const QImage image = view_->grab().toImage();
        const QRgb hot = image.pixel(cell.center().toPoint());
        const Rgb top = state_.colormap().at(1.0);
        QCOMPARE(QColor(hot), QColor(top.r, top.g, top.b));
        const Rgb bottom = state_.colormap().at(0.0);
        QCOMPARE(QColor(image.pixel(view_->cellRect(10, 10).center().toPoint())), QColor(bottom.r, bottom.g, bottom.b));
    }
    void zoomedInOnALongInputDrawsEachCellWhereverTheViewGoes()
    {
        // At full resolution the map draws only the visible cells and a margin; panning beyond
        // that margin must redraw, and each cell keeps its own colour.
        state_.setRun(spikeRun(2048, 1700, 300));
        const Rgb top = state_.colormap().at(1.0), bottom = state_.colormap().at(0.0);
        const auto colourAt = [&](int q, int k) { return QColor(view_->grab().toImage().pixel(view_->cellRect(q, k).center().toPoint())); };
        view_->setVisibleCells(QRectF(290, 1690, 20, 20));
        QCOMPARE(colourAt(1700, 300), QColor(top.r, top.g, top.b));
        QCOMPARE(colourAt(1701, 300), QColor(bottom.r, bottom.g, bottom.b));
        view_->setVisibleCells(QRectF(0, 0, 20, 20)); // far away, then back
        QCOMPARE(colourAt(5, 5), QColor(bottom.r, bottom.g, bottom.b));
        view_->setVisibleCells(QRectF(295, 1695, 10, 10));
        QCOMPARE(colourAt(1700, 300), QColor(top.r, top.g, top.b));
        QCOMPARE(colourAt(1700, 301), QColor(bottom.r, bottom.g, bottom.b));
        const FigureData d = view_->figureData(); // the data export reads the same cells
        QCOMPARE(d.array.shape, (std::vector<Index>{10, 10}));
        QCOMPARE(d.array.data[5 * 10 + 5], 1.0f);
    }
};

QTEST_MAIN(TestAttentionMapView)
#include "TestAttentionMapView.moc"
