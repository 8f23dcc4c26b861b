#include "tokens/TokenView.h"

#include "ViewTestSupport.h"
#include "model/torch_encoder/EncoderModel.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <set>

using attn::Matrix;
using attn::widgets::ExplorerState;
using attn::widgets::RunData;
using attn::widgets::TokenView;

namespace {

// Weights >= the drawing threshold in a matrix, or in one row / column of it.
int countDrawn(const Matrix& m, int row = -1, int col = -1)
{
    int n = 0;
    for (int i = 0; i < m.rows(); ++i)
        for (int j = 0; j < m.cols(); ++j)
            if (m(i, j) >= TokenView::kMinWeight && (row < 0 || i == row) && (col < 0 || j == col))
                ++n;
    return n;
}

// Pixels inside rect whose hue is within 10 degrees of colour's and that are clearly coloured.
int pixelsOfHue(const QImage& image, const QRect& rect, const QColor& colour)
{
    int n = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            const int d = std::abs(c.hsvHue() - colour.hsvHue());
            if (c.hsvSaturation() > 60 && std::min(d, 360 - d) <= 10)
                ++n;
        }
    return n;
}

} // namespace

class TestTokenView : public QObject {
    Q_OBJECT

    std::shared_ptr<const attn::EncoderModel> model_;

    RunData makeRun() { return attn::test::goldenRun(); }

    // A shown view of the golden run.
    void showView(ExplorerState& state, TokenView& view)
    {
        state.setRun(makeRun());
        view.resize(360, 520);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

    // Repaints the widget on screen as it would be and returns what it shows.
    QImage render(TokenView& view) { return view.grab().toImage(); }

private slots:
    void initTestCase() { model_ = attn::loadModel(attn::test::goldenDir("preln_gelu")); }

    void emptyStateShowsAHint()
    {
        ExplorerState state;
        TokenView view(&state);
        view.resize(300, 300);
        const QImage image = render(view);
        QVERIFY(attn::test::nonWhitePixels(image) > 0); // the grey hint text
        QCOMPARE(view.drawnArcCount(), 0);
        QCOMPARE(view.tokenAt(QPointF(150, 150)).first, -1);
        QVERIFY(view.figureData().array.shape.empty());
        QVERIFY(view.figureData().rows.empty());
    }

    void listsQueriesLeftAndKeysRight()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        const int n = state.run().length();
        QCOMPARE(n, 13);
        QCOMPARE(state.run().tokens.first(), QString("[CLS]"));
        for (int i = 0; i < n; ++i) {
            const QRectF q = view.tokenRect(i, false), k = view.tokenRect(i, true);
            QVERIFY(q.right() < k.left());
            QCOMPARE(q.top(), k.top());
            QVERIFY(QRectF(view.rect()).contains(q) && QRectF(view.rect()).contains(k));
            if (i > 0)
                QVERIFY(q.top() >= view.tokenRect(i - 1, false).bottom() - 1e-9);
            QCOMPARE(view.tokenAt(q.center()), std::make_pair(i, false));
            QCOMPARE(view.tokenAt(k.center()), std::make_pair(i, true));
        }
    }

    void clickingAQueryTokenSelectsIt()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        QSignalSpy spy(&state, &ExplorerState::tokenChanged);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.tokenRect(5, false).center().toPoint());
        QCOMPARE(state.token(), 5);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toInt(), 5);
        // A key token is not a query: the selection stays.
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.tokenRect(8, true).center().toPoint());
        QCOMPARE(state.token(), 5);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.tokenRect(0, false).center().toPoint());
        QCOMPARE(state.token(), 0);
    }

    void drawsOneLinePerWeightAboveThreshold()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        render(view);
        const Matrix head = state.run().result->attention.head(0, 0);
        QVERIFY(countDrawn(head) > 0);
        QCOMPARE(view.drawnArcCount(), countDrawn(head));
        QCOMPARE(view.drawnColours().size(), 1);
        QCOMPARE(view.drawnColours().first(), TokenView::headColour(0));

        state.select(2, 3); // the lines follow the selected head
        render(view);
        QCOMPARE(view.drawnArcCount(), countDrawn(state.run().result->attention.head(2, 3)));
        QCOMPARE(view.drawnColours().first(), TokenView::headColour(3));
    }

    void hoveringATokenKeepsOnlyItsLines()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        state.select(1, 1);
        const Matrix head = state.run().result->attention.head(1, 1);
        render(view);
        const int all = view.drawnArcCount();

        QTest::mouseMove(&view, view.tokenRect(3, false).center().toPoint());
        QTRY_COMPARE(view.hoveredToken(), 3);
        QVERIFY(!view.hoveredIsKey());
        render(view);
        QCOMPARE(view.drawnArcCount(), countDrawn(head, 3, -1));
        QVERIFY(view.drawnArcCount() > 0);
        QVERIFY(view.drawnArcCount() < all);

        QTest::mouseMove(&view, view.tokenRect(7, true).center().toPoint());
        QTRY_COMPARE(view.hoveredToken(), 7);
        QVERIFY(view.hoveredIsKey());
        render(view);
        QCOMPARE(view.drawnArcCount(), countDrawn(head, -1, 7));
        QVERIFY(view.drawnArcCount() < all);

        // Between the columns there is no token: every line again.
        const QPointF between((view.tokenRect(0, false).right() + view.tokenRect(0, true).left()) / 2,
                              view.tokenRect(5, false).center().y());
        QTest::mouseMove(&view, between.toPoint());
        QTRY_COMPARE(view.hoveredToken(), -1);
        render(view);
        QCOMPARE(view.drawnArcCount(), all);

        view.setHoveredToken(2, true);
        render(view);
        QCOMPARE(view.drawnArcCount(), countDrawn(head, -1, 2));
        view.setHoveredToken(99, false); // out of range clears
        QCOMPARE(view.hoveredToken(), -1);
    }

    void allHeadsModeDrawsEveryHeadInItsColour()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        state.select(1, 0);
        view.setAllHeads(true);
        QVERIFY(view.allHeads());
        const QImage image = render(view);
        const auto& store = state.run().result->attention;
        int expected = 0;
        for (int h = 0; h < store.heads(); ++h)
            expected += countDrawn(store.head(1, h));
        QCOMPARE(view.drawnArcCount(), expected);
        QCOMPARE(view.drawnColours().size(), store.heads());
        const std::set<QRgb> distinct = [&] {
            std::set<QRgb> s;
            for (const QColor& c : view.drawnColours())
                s.insert(c.rgb());
            return s;
        }();
        QCOMPARE(static_cast<int>(distinct.size()), store.heads());

        // On screen, between the columns (below the legend), lines of every head's hue.
        const QRect arcs = QRectF(QPointF(view.tokenRect(0, false).right() + 6, view.tokenRect(0, false).top()),
                                  QPointF(view.tokenRect(0, true).left() - 6, view.tokenRect(12, true).bottom()))
                               .toRect();
        for (int h = 0; h < store.heads(); ++h)
            QVERIFY2(pixelsOfHue(image, arcs, TokenView::headColour(h)) > 5, qPrintable(QString("head %1").arg(h)));
        QCOMPARE(view.figureTitle(), QString("Layer 1, all heads — “rec”"));

        view.setAllHeads(false);
        render(view);
        QCOMPARE(view.drawnColours().size(), 1);
        QCOMPARE(view.drawnArcCount(), countDrawn(store.head(1, 0)));
        QCOMPARE(view.figureTitle(), QString("Layer 1, head 0 — “rec”"));
    }

    void figureDataHoldsTheHeadsDrawn()
    {
        ExplorerState state;
        TokenView view(&state);
        showView(state, view);
        state.select(2, 1);
        const auto& store = state.run().result->attention;
        attn::widgets::FigureData d = view.figureData();
        QCOMPARE(d.columns, QStringList({"layer", "head", "query_index", "query_token", "key_index", "key_token", "weight"}));
        QCOMPARE(d.array.shape, std::vector<std::int64_t>({1, 13, 13}));
        QCOMPARE(attn::test::maxAbsDiff(store.head(2, 1), d.array), 0.0f);
        QCOMPARE(static_cast<int>(d.rows.size()), countDrawn(store.head(2, 1)));
        for (const QStringList& row : d.rows) {
            QCOMPARE(row.size(), d.columns.size());
            QCOMPARE(row[0], QString("2"));
            QCOMPARE(row[1], QString("1"));
            const int q = row[2].toInt(), k = row[4].toInt();
            QCOMPARE(row[3], state.run().tokens[q]);
            QCOMPARE(row[5], state.run().tokens[k]);
            QCOMPARE(row[6].toFloat(), store.weight(2, 1, q, k));
        }

        view.setAllHeads(true);
        d = view.figureData();
        QCOMPARE(d.array.shape, std::vector<std::int64_t>({4, 13, 13}));
        for (int h = 0; h < 4; ++h)
            QCOMPARE(d.array.data[static_cast<std::size_t>(h * 169 + 3 * 13 + 5)], store.weight(2, h, 3, 5));
    }

    void paintFigureIsNotBlank()
    {
        ExplorerState state;
        TokenView view(&state);
        state.setRun(makeRun());
        for (const bool all : {false, true}) {
            view.setAllHeads(all);
            QImage image(view.figureSize(), QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            view.paintFigure(painter, image.size());
            painter.end();
            QVERIFY(view.drawnArcCount() > 0);
            QVERIFY(attn::test::nonWhitePixels(image) > 1000);
            QVERIFY(pixelsOfHue(image, image.rect(), TokenView::headColour(0)) > 10);
        }
    }

    void longInputsFitTheWidget()
    {
        ExplorerState state;
        TokenView view(&state);
        state.setRun(attn::test::sequenceRun(*model_, std::string(60, 'A').replace(10, 20, std::string(20, 'G')), "long", {}));
        view.resize(240, 260);
        const int n = state.run().length();
        QCOMPARE(n, 61);
        const QRectF inside(view.rect());
        QVERIFY(inside.contains(view.tokenRect(0, false)));
        QVERIFY(inside.contains(view.tokenRect(n - 1, true)));
        QVERIFY(view.tokenRect(1, false).height() < QFontMetricsF(view.font()).height()); // rows are thinner than text
        QCOMPARE(view.tokenAt(view.tokenRect(n - 1, false).center()), std::make_pair(n - 1, false));
        render(view);
        QVERIFY(view.drawnArcCount() > 0);
    }

    void layerNotKeptShowsAHint()
    {
        ExplorerState state;
        TokenView view(&state);
        attn::RunOptions options;
        options.store.layers = {0, 2};
        state.setRun(attn::test::sequenceRun(*model_, "ACGTNACGTACG", "rec", options));
        view.resize(360, 520);
        state.select(1, 0);
        const QImage image = render(view);
        QCOMPARE(view.drawnArcCount(), 0);
        QVERIFY(attn::test::nonWhitePixels(image) > 0);
        QVERIFY(view.figureData().array.shape.empty());
        QCOMPARE(view.tokenAt(view.tokenRect(3, false).center()).first, -1);
        state.select(2, 0);
        render(view);
        QCOMPARE(view.drawnArcCount(), countDrawn(state.run().result->attention.head(2, 0)));
    }
};

QTEST_MAIN(TestTokenView)
#include "TestTokenView.moc"
