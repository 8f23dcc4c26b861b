// The head grid: clicking a thumbnail selects that head everywhere; arrow keys move.

#include "heads/HeadGridView.h"

#include "ViewTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

class TestHeadGridView : public QObject {
    Q_OBJECT
private slots:
    void clickSelectsHeadAndKeysMove()
    {
        ExplorerState state;
        state.setRun(goldenRun());
        HeadGridView grid(&state);
        grid.resize(400, 320);
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        QSignalSpy spy(&state, &ExplorerState::headChanged);
        QTest::mouseClick(&grid, Qt::LeftButton, {}, grid.thumbnailRect(2, 1).center().toPoint());
        QCOMPARE(state.layer(), 2);
        QCOMPARE(state.head(), 1);
        QCOMPARE(spy.count(), 1);
        QTest::keyClick(&grid, Qt::Key_Right);
        QCOMPARE(state.head(), 2);
        QTest::keyClick(&grid, Qt::Key_Up);
        QCOMPARE(state.layer(), 1);
        QTest::keyClick(&grid, Qt::Key_Up);
        QTest::keyClick(&grid, Qt::Key_Up); // clamped at the first layer
        QCOMPARE(state.layer(), 0);
        // the selected thumbnail is outlined in red
        const QImage image = grid.grab().toImage();
        const QRectF r = grid.thumbnailRect(0, 2);
        const QColor edge = image.pixelColor(QPoint(static_cast<int>(r.center().x()), static_cast<int>(r.top()) - 1));
        QVERIFY2(edge.red() > 180 && edge.green() < 90, qPrintable(edge.name()));
    }
    void thumbnailsAreMaxPooledHeads()
    {
        ExplorerState state;
        state.setRun(goldenRun());
        HeadGridView grid(&state);
        const FigureData d = grid.figureData();
        QCOMPARE(d.array.shape, (std::vector<std::int64_t>{3, 4, 13, 13})); // 13 tokens fit unpooled
        const Matrix h = state.run().result->attention.head(1, 3);
        const std::size_t at = static_cast<std::size_t>((1 * 4 + 3) * 169 + 5 * 13 + 7);
        QCOMPARE(d.array.data[at], h(5, 7));
        QCOMPARE(d.rows.size(), std::size_t{3 * 4 * 169});
    }
};

QTEST_MAIN(TestHeadGridView)
#include "TestHeadGridView.moc"
