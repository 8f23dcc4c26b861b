#include "stats/HeadStatsView.h"

#include "ViewTestSupport.h"
#include "common/ColourPainting.h"
#include "model/torch_encoder/EncoderModel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>

using attn::HeadStats;
using attn::widgets::ExplorerState;
using attn::widgets::HeadStatsModel;
using attn::widgets::HeadStatsView;
using attn::widgets::RunData;

namespace {

// The (layer, head) of a table row, read from its cells.
QPoint headOfRow(const QTableView* table, int row)
{
    const QAbstractItemModel* m = table->model();
    return {m->index(row, HeadStatsModel::Head).data(HeadStatsModel::SortRole).toInt(),
            m->index(row, HeadStatsModel::Layer).data(HeadStatsModel::SortRole).toInt()};
}

// The (layer, head) of the single selected table row, or (-1, -1).
QPoint selectedHead(const QTableView* table)
{
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    return rows.size() == 1 ? headOfRow(table, rows.first().row()) : QPoint(-1, -1);
}

} // namespace

class TestHeadStatsView : public QObject {
    Q_OBJECT

    std::shared_ptr<const attn::EncoderModel> model_;

    RunData makeRun() { return attn::test::goldenRun(); }

    void showView(ExplorerState& state, HeadStatsView& view)
    {
        state.setRun(makeRun());
        view.resize(720, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

    std::vector<HeadStats> expectedStats(const ExplorerState& state)
    {
        return attn::headStatistics(state.run().result->attention, state.run().result->keyPadding, state.run().axis);
    }

private slots:
    void initTestCase() { model_ = attn::loadModel(attn::test::goldenDir("preln_gelu")); }

    void emptyWithoutARun()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        view.resize(400, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.stats().empty());
        QCOMPARE(view.table()->model()->rowCount(), 0);
        QCOMPARE(view.heatmapCellAt(QPointF(100, 60)), QPoint(-1, -1));
        QVERIFY(view.figureData().rows.empty());
        QVERIFY(view.figureData().array.shape.empty());
        QCOMPARE(view.figureData().columns.size(), 9);
    }

    void tableShowsTheHeadStatistics()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        const std::vector<HeadStats> expected = expectedStats(state);
        QCOMPARE(expected.size(), std::size_t(12));
        QCOMPARE(view.stats().size(), expected.size());
        const QAbstractItemModel* m = view.table()->model();
        QCOMPARE(m->rowCount(), 12);
        QCOMPARE(m->columnCount(), 9);
        QCOMPARE(m->headerData(HeadStatsModel::Entropy, Qt::Horizontal).toString(), QString("Entropy (bits)"));
        QCOMPARE(m->headerData(HeadStatsModel::ClsMass, Qt::Horizontal).toString(), QString("[CLS] mass"));
        for (int r = 0; r < m->rowCount(); ++r) {
            const QPoint head = headOfRow(view.table(), r);
            const HeadStats& s = expected[static_cast<std::size_t>(head.y() * 4 + head.x())];
            QCOMPARE(s.layer, head.y());
            QCOMPARE(s.head, head.x());
            for (int c = HeadStatsModel::Entropy; c < HeadStatsModel::ColumnCount; ++c) {
                const double v = HeadStatsModel::value(s, c);
                QCOMPARE(m->index(r, c).data(HeadStatsModel::SortRole).toDouble(), v);
                QCOMPARE(m->index(r, c).data().toString(), QString::number(v, 'f', 3));
            }
        }
        QCOMPARE(view.stats()[5].entropyBits, expected[5].entropyBits);
        QCOMPARE(view.stats()[7].temperature, expected[7].temperature);
    }

    void clickingAHeatmapCellSelectsTheHead()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        QSignalSpy spy(&state, &ExplorerState::headChanged);
        const QRectF cell = view.heatmapCellRect(2, 1);
        QVERIFY(!cell.isEmpty());
        QVERIFY(view.heatmapCellRect(2, 2).left() >= cell.right() - 1e-9);
        QVERIFY(view.heatmapCellRect(1, 1).bottom() <= cell.top() + 1e-9);
        QVERIFY(!view.table()->geometry().intersects(cell.toRect())); // the heatmap is not covered
        QTest::mouseClick(&view, Qt::LeftButton, {}, cell.center().toPoint());
        QCOMPARE(state.layer(), 2);
        QCOMPARE(state.head(), 1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(selectedHead(view.table()), QPoint(1, 2));

        QTest::mouseClick(&view, Qt::LeftButton, {}, view.heatmapCellRect(0, 3).center().toPoint());
        QCOMPARE(state.layer(), 0);
        QCOMPARE(state.head(), 3);
        QCOMPARE(selectedHead(view.table()), QPoint(3, 0));
    }

    void stateSelectionMovesTheTableRow()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        QCOMPARE(selectedHead(view.table()), QPoint(0, 0));
        state.select(1, 3);
        QCOMPARE(selectedHead(view.table()), QPoint(3, 1));
        state.select(2, 0);
        QCOMPARE(selectedHead(view.table()), QPoint(0, 2));
    }

    void selectingATableRowSelectsTheHead()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        QTableView* table = view.table();
        const int row = 6;
        const QPoint head = headOfRow(table, row);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(table->model()->index(row, HeadStatsModel::Entropy)).center());
        QCOMPARE(QPoint(state.head(), state.layer()), head);

        // The keyboard moves the selection, and the state follows.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(QPoint(state.head(), state.layer()), headOfRow(table, row + 1));
        QTest::keyClick(table, Qt::Key_Up);
        QTest::keyClick(table, Qt::Key_Up);
        QCOMPARE(QPoint(state.head(), state.layer()), headOfRow(table, row - 1));
    }

    void sortingByEntropyIsNumeric()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        QTableView* table = view.table();
        QHeaderView* header = table->horizontalHeader();
        const int x = header->sectionViewportPosition(HeadStatsModel::Entropy) + header->sectionSize(HeadStatsModel::Entropy) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QCOMPARE(header->sortIndicatorSection(), int(HeadStatsModel::Entropy));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);

        std::vector<double> expected;
        for (const HeadStats& s : expectedStats(state))
            expected.push_back(s.entropyBits);
        std::sort(expected.begin(), expected.end());
        QVERIFY(expected.front() < expected.back());
        for (int r = 0; r < 12; ++r) {
            const QModelIndex index = table->model()->index(r, HeadStatsModel::Entropy);
            QCOMPARE(index.data(HeadStatsModel::SortRole).toDouble(), expected[static_cast<std::size_t>(r)]);
            const QPoint head = headOfRow(table, r);
            QCOMPARE(view.stats()[static_cast<std::size_t>(head.y() * 4 + head.x())].entropyBits,
                     expected[static_cast<std::size_t>(r)]);
        }
        // The selection still follows the state in sorted order.
        state.select(1, 2);
        QCOMPARE(selectedHead(table), QPoint(2, 1));

        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(table->model()->index(0, HeadStatsModel::Entropy).data(HeadStatsModel::SortRole).toDouble(),
                 expected.back());
    }

    void sortingComparesNumbersNotText()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        auto* proxy = qobject_cast<QSortFilterProxyModel*>(view.table()->model());
        QVERIFY(proxy);
        auto* model = qobject_cast<HeadStatsModel*>(proxy->sourceModel());
        QVERIFY(model);
        // Values whose text order ("10.500" < "2.000" < "9.250") differs from their numeric order.
        std::vector<HeadStats> stats(3);
        const double entropies[] = {10.5, 2.0, 9.25};
        for (int i = 0; i < 3; ++i) {
            stats[static_cast<std::size_t>(i)].head = i;
            stats[static_cast<std::size_t>(i)].entropyBits = entropies[i];
        }
        model->setStats(stats);
        QHeaderView* header = view.table()->horizontalHeader();
        const int x = header->sectionViewportPosition(HeadStatsModel::Entropy) + header->sectionSize(HeadStatsModel::Entropy) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        QCOMPARE(proxy->index(0, HeadStatsModel::Entropy).data().toString(), QString("2.000"));
        QCOMPARE(proxy->index(1, HeadStatsModel::Entropy).data().toString(), QString("9.250"));
        QCOMPARE(proxy->index(2, HeadStatsModel::Entropy).data().toString(), QString("10.500"));
    }

    void metricChoiceDrivesHeatmapAndData()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        QComboBox* box = view.metricBox();
        QCOMPARE(box->count(), 6);
        QCOMPARE(view.metric(), HeadStatsModel::Entropy);
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Down);
        QCOMPARE(view.metric(), HeadStatsModel::MeanDistance);
        QVERIFY(view.figureTitle().startsWith("Mean distance"));
        QVERIFY(view.figureTitle().endsWith(" — “rec”"));

        const std::vector<HeadStats> expected = expectedStats(state);
        const attn::widgets::FigureData d = view.figureData();
        QCOMPARE(d.array.shape, std::vector<std::int64_t>({3, 4}));
        for (const HeadStats& s : expected)
            QCOMPARE(d.array.data[static_cast<std::size_t>(s.layer * 4 + s.head)], static_cast<float>(s.meanDistance));

        // The cells on screen have the colormap colour of their value (min to max range).
        double low = 1e9, high = -1e9;
        for (const HeadStats& s : expected) {
            low = std::min(low, static_cast<double>(static_cast<float>(s.meanDistance)));
            high = std::max(high, static_cast<double>(static_cast<float>(s.meanDistance)));
        }
        const attn::ColourRange range{low, high, attn::ColourScale::Linear};
        const QImage image = view.grab().toImage();
        int checked = 0;
        for (const HeadStats& s : expected) {
            if (s.layer == state.layer() && s.head == state.head())
                continue; // outlined
            const QRectF cell = view.heatmapCellRect(s.layer, s.head);
            const QPoint probe = (cell.topLeft() + QPointF(4, 4)).toPoint();
            const QRgb want = attn::widgets::colourOf(state.colormap(), range, static_cast<float>(s.meanDistance));
            QCOMPARE(image.pixel(probe) & 0xffffff, want & 0xffffff);
            ++checked;
        }
        QCOMPARE(checked, 11);
    }

    void figureDataIsTheWholeTable()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        showView(state, view);
        view.setMetric(HeadStatsModel::ClsMass);
        QCOMPARE(view.metricBox()->currentText(), QString("[CLS] mass"));
        const attn::widgets::FigureData d = view.figureData();
        QCOMPARE(d.columns, QStringList({"layer", "head", "entropy_bits", "max_entropy_bits", "mean_distance", "cls_mass",
                                         "padding_mass", "score_spread", "temperature"}));
        QCOMPARE(d.rows.size(), std::size_t(12));
        const std::vector<HeadStats> expected = expectedStats(state);
        for (std::size_t r = 0; r < d.rows.size(); ++r) {
            QCOMPARE(d.rows[r][0].toInt(), expected[r].layer);
            QCOMPARE(d.rows[r][1].toInt(), expected[r].head);
            QCOMPARE(d.rows[r][2].toDouble(), expected[r].entropyBits);
            QCOMPARE(d.rows[r][5].toDouble(), expected[r].clsMass);
            QCOMPARE(d.rows[r][8].toDouble(), expected[r].temperature);
        }
        QCOMPARE(d.array.shape, std::vector<std::int64_t>({3, 4}));
        QCOMPARE(d.array.data[6], static_cast<float>(expected[6].clsMass));
    }

    void paintFigureIsNotBlank()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        state.setRun(makeRun());
        QImage image(view.figureSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        view.paintFigure(painter, image.size());
        painter.end();
        QVERIFY(attn::test::nonWhitePixels(image) > image.width() * image.height() / 10);
    }

    void layersNotKeptHaveNoRowsAndNaNCells()
    {
        ExplorerState state;
        HeadStatsView view(&state);
        attn::RunOptions options;
        options.store.layers = {0, 2};
        state.setRun(attn::test::sequenceRun(*model_, "ACGTNACGTACG", "rec", options));
        view.resize(720, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.stats().size(), std::size_t(8));
        QCOMPARE(view.table()->model()->rowCount(), 8);
        const attn::widgets::FigureData d = view.figureData();
        QCOMPARE(d.array.shape, std::vector<std::int64_t>({3, 4}));
        for (int h = 0; h < 4; ++h) {
            QVERIFY(std::isnan(d.array.data[static_cast<std::size_t>(4 + h)]));
            QVERIFY(!std::isnan(d.array.data[static_cast<std::size_t>(8 + h)]));
        }
        // Selecting a head of the missing layer clears the table selection.
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.heatmapCellRect(1, 2).center().toPoint());
        QCOMPARE(state.layer(), 1);
        QCOMPARE(selectedHead(view.table()), QPoint(-1, -1));
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.heatmapCellRect(2, 2).center().toPoint());
        QCOMPARE(selectedHead(view.table()), QPoint(2, 2));
    }
};

QTEST_MAIN(TestHeadStatsView)
#include "TestHeadStatsView.moc"
