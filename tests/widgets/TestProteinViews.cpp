// The protein views on their own: the alignment view's cells, colours and clicks at 1,000 x
// 1,000, its tracks; the column attention of a column; the contact map's pairs, names and
// precision against the structure.

#include "contacts/ContactMapView.h"
#include "alignment/ColumnAttentionView.h"
#include "alignment/MsaView.h"
#include "msa/MsaReader.h"

#include "TestSupport.h"
#include "ViewTestSupport.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <random>

using namespace attn;
using namespace attn::test;
using namespace attn::widgets;

namespace {

/// N rows of C random residues (seeded), column 0 all leucine.
std::shared_ptr<const Msa> randomAlignment(int rows, int columns)
{
    static const char kLetters[] = "ACDEFGHIKLMNPQRSTVWY-";
    std::mt19937 random(3);
    auto msa = std::make_shared<Msa>();
    for (int r = 0; r < rows; ++r) {
        MsaRow row;
        row.name = "seq" + std::to_string(r);
        for (int c = 0; c < columns; ++c)
            row.residues += c == 0 ? 'L' : kLetters[random() % 21];
        msa->rows.push_back(row);
    }
    return msa;
}

} // namespace

class TestProteinViews : public QObject {
    Q_OBJECT
private slots:
    void alignmentCellsAreWhereTheyAreDrawn()
    {
        ExplorerState state;
        MsaView view(&state);
        view.resize(900, 600);
        view.show();
        const auto msa = randomAlignment(1000, 1000);
        view.setAlignment(msa, columnProfiles(*msa));
        QVERIFY(view.horizontalScrollBar()->maximum() > 9000 && view.verticalScrollBar()->maximum() > 13000);
        view.horizontalScrollBar()->setValue(5003); // mid-cell offsets both ways
        view.verticalScrollBar()->setValue(7007);
        for (const QPoint cell : {QPoint(500, 0), QPoint(520, 502), QPoint(503, 530)}) {
            const QRect r = view.cellRect(cell.y(), cell.x());
            QCOMPARE(view.cellAt(r.center()), cell);
        }
        QCOMPARE(view.cellAt(QPoint(5, 300)), QPoint(-1, -1)); // the names
        const QImage image = view.viewport()->grab().toImage();
        QVERIFY(nonWhitePixels(image) > image.width() * image.height() / 4);
    }
    void aColumnOfLeucinesIsBlue()
    {
        ExplorerState state;
        MsaView view(&state);
        const auto msa = randomAlignment(50, 20);
        view.setAlignment(msa, columnProfiles(*msa));
        QCOMPARE(view.cellColour(7, 0), 0x80a0f0u);
    }
    void clickingAResidueSelectsItsColumnAndToken()
    {
        ExplorerState state;
        state.setRun(spikeRun(21, 5, 9)); // <cls> + 20 columns
        MsaView view(&state);
        view.resize(700, 400);
        view.show();
        const auto msa = randomAlignment(30, 20);
        view.setAlignment(msa, columnProfiles(*msa));
        std::vector<int> tokens(20);
        std::iota(tokens.begin(), tokens.end(), 1);
        view.setColumnTokens(tokens, state.run().result.get());
        QSignalSpy columns(&view, &MsaView::columnSelected);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.cellRect(3, 4).center());
        QCOMPARE(columns.count(), 1);
        QCOMPARE(columns.front().front().toInt(), 4);
        QCOMPARE(state.token(), 5);
        // the row attention track: token 5 attends to key 9, column 8
        QCOMPARE(view.attentionTrack().size(), std::size_t{20});
        QCOMPARE(static_cast<int>(std::max_element(view.attentionTrack().begin(), view.attentionTrack().end()) - view.attentionTrack().begin()), 8);
        // clicking a track selects the column only
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(view.cellRect(0, 11).center().x(), 20));
        QCOMPARE(view.selectedColumn(), 11);
        QCOMPARE(state.token(), 5);
        // another run in the shared state: no track from this alignment's tokens
        state.setRun(spikeRun(40, 1, 2));
        QVERIFY(view.attentionTrack().empty());
        const FigureData data = view.figureData();
        QCOMPARE(data.array.shape, (std::vector<std::int64_t>{20, 4}));
        QCOMPARE(data.rows.size(), std::size_t{20});
        QCOMPARE(data.array.data[0], 1.0f); // column 0 is all L: conservation 1
    }
    void columnAttentionShowsTheColumnsMap()
    {
        ExplorerState state;
        state.setRun(spikeRun(4, 1, 2)); // 1 layer, 1 head, 4 tokens
        auto store = std::make_shared<AttentionStore>(1, 4, 3, StorePlan{}); // 1 head x 4 tokens maps of 3 rows
        Matrix m = Matrix::Constant(3, 3, 0.1f);
        m(2, 0) = 0.8f;
        store->writeRows(0, 2, 0, m); // head 0, token 2
        ColumnAttentionView view(&state);
        view.setStore(store, 1, 4, {"q", "a", "b"});
        QCOMPARE(view.shown().size(), Index{0}); // no column yet
        view.setToken(2, "column 2");
        QCOMPARE(view.shown().rows(), Index{3});
        QCOMPARE(view.shown()(2, 0), 0.8f);
        QCOMPARE(view.figureData().rows.size(), std::size_t{9});
    }
    void contactMapNamesPairsAndMeasuresPrecision()
    {
        ExplorerState state;
        ContactMapView view(&state);
        view.resize(view.figureSize());
        const Index l = 40;
        ContactSources s;
        s.truth = Matrix::Zero(l, l);
        for (Index i = 0; i + 30 < l; ++i)
            s.truth(i, i + 30) = s.truth(i + 30, i) = 1.0f; // 10 long-range contacts, one of them lost below
        s.truth.row(39).setConstant(-1.0f); // the last residue has no coordinates
        s.truth.col(39).setConstant(-1.0f);
        s.baseline = s.truth.cwiseMax(0.0f);
        s.contactHead = Matrix::Constant(l, l, 0.5f);
        for (Index i = 0; i < l; ++i)
            s.residueLabels << QString("ALA %1").arg(i + 100);
        ContactSources noStructure = s;
        noStructure.truth = Matrix();
        view.setSources(noStructure);
        QCOMPARE(view.legendEntries().size(), 1); // no green or red rings are promised without a structure
        QVERIFY2(view.legendEntries().front().startsWith("white ring: one of the top"), qPrintable(view.legendEntries().front()));
        view.setSources(s);
        QCOMPARE(view.legendEntries().size(), 4);
        QVERIFY(view.precision().has_value());
        view.setSource(ContactSource::Baseline);
        QCOMPARE(view.precision()->at[2][2], 1.0); // the top 8 long-range pairs are all contacts
        QCOMPARE(view.precision()->at[2][0], 9.0 / 40); // the tenth contact is on the residue without coordinates
        const QRectF plot(50, 30, 0, 0);
        const QPoint pair = view.pairAt(QPointF(plot.left() + (31.5 / l) * (view.height() - 70), plot.top() + (1.5 / l) * (view.height() - 70)));
        QCOMPARE(pair, QPoint(1, 31));
        const QString text = view.describePair(1, 31);
        QVERIFY2(text.contains("ALA 101 - ALA 131") && text.contains("contact"), qPrintable(text));
        QVERIFY(view.describePair(0, 39).contains("no coordinates"));
        QSignalSpy clicked(&view, &ContactMapView::pairClicked);
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPointF(plot.left() + (31.5 / l) * (view.height() - 70), plot.top() + (1.5 / l) * (view.height() - 70)).toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(view.figureData().rows.size(), std::size_t{l * (l - 1) / 2});
        const QImage image = view.grab().toImage();
        QVERIFY(nonWhitePixels(image) > 1000);
        QVERIFY(view.flatNote().isEmpty()); // the baseline varies
        // a predictor that scores every pair alike is said so, not stretched over the colours
        s.contactHead = Matrix::Constant(l, l, 0.0250440f);
        s.contactHead(3, 20) = s.contactHead(20, 3) = 0.0250451f;
        view.setSources(s);
        view.setSource(ContactSource::ContactHead);
        QVERIFY2(view.flatNote().startsWith("the contact head scores every pair alike: 0.02504 ±"), qPrintable(view.flatNote()));
        s.contactHead(3, 20) = s.contactHead(20, 3) = 0.9f; // one strong pair: not flat
        view.setSources(s);
        QVERIFY(view.flatNote().isEmpty());
    }
};

QTEST_MAIN(TestProteinViews)
#include "TestProteinViews.moc"
