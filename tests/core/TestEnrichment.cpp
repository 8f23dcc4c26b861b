// Per-head enrichment (core/interpret/Enrichment): a planted head that attends exactly to the annotated
// pairs comes out the most enriched; a positional head is not enriched for local annotations once
// they are shuffled within separation bins; fixed seeds give fixed p-values; Benjamini-Hochberg.

#include "interpret/Enrichment.h"
#include "io/ResidueList.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <random>

using namespace attn;
using namespace attn::test;

namespace {

constexpr Index kTokens = 200;

/// Each query i puts `weight` on key partner(i) and spreads the rest evenly over the other keys.
Matrix pointing(const std::function<Index(Index)>& partner, float weight)
{
    Matrix m = Matrix::Constant(kTokens, kTokens, (1.0f - weight) / static_cast<float>(kTokens - 1));
    for (Index i = 0; i < kTokens; ++i)
        m(i, partner(i)) = weight;
    return m;
}

/// Two layers of four heads: L1H2 attends to each token's annotated partner, L0H0 to the next token,
/// L0H1 to a random key, the others diffusely.
AttentionStore plantedStore(const std::vector<Index>& partnerOf)
{
    AttentionStore store(2, 4, kTokens, StorePlan{});
    std::mt19937 random(3);
    std::uniform_int_distribution<Index> key(0, kTokens - 1);
    const Matrix diffuse = Matrix::Constant(kTokens, kTokens, 1.0f / static_cast<float>(kTokens));
    for (int l = 0; l < 2; ++l)
        for (int h = 0; h < 4; ++h)
            store.writeRows(l, h, 0, diffuse);
    store.writeRows(1, 2, 0, pointing([&](Index i) { return partnerOf[static_cast<std::size_t>(i)]; }, 0.8f));
    store.writeRows(0, 0, 0, pointing([](Index i) { return (i + 1) % kTokens; }, 0.8f));
    store.writeRows(0, 1, 0, pointing([&](Index) { return key(random); }, 0.8f));
    return store;
}

/// Pairs (i, i + 20) for i in blocks of 20: each token's partner 20 away.
std::vector<Index> partners()
{
    std::vector<Index> p(kTokens);
    for (Index i = 0; i < kTokens; ++i)
        p[static_cast<std::size_t>(i)] = (i / 20) % 2 == 0 ? i + 20 : i - 20;
    return p;
}

TokenAnnotations pairAnnotations(const std::vector<Index>& partnerOf)
{
    TokenAnnotations a;
    for (Index i = 0; i < kTokens; ++i)
        if (i < partnerOf[static_cast<std::size_t>(i)])
            a.pairs.emplace_back(i, partnerOf[static_cast<std::size_t>(i)]);
    return a;
}

const HeadEnrichment& headOf(const std::vector<HeadEnrichment>& all, int layer, int head)
{
    return *std::find_if(all.begin(), all.end(), [&](const HeadEnrichment& e) { return e.layer == layer && e.head == head; });
}

} // namespace

class TestEnrichment : public QObject {
    Q_OBJECT

private slots:
    void residueListsAreReadAndBadOnesNamed()
    {
        QCOMPARE(parseResidueList("# site\n57, 102\t195\n10-12 11\n", "site.txt"), (std::vector<long>{10, 11, 12, 57, 102, 195}));
        for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
                 {"12\nH57\n", "site.txt line 2: \"H57\" is not a residue position"},
                 {"0\n", "\"0\" is not a residue position"},
                 {"-3\n", "\"-3\" is not a residue position"},
                 {"20-10\n", "the range \"20-10\" ends before it starts"},
                 {"1-99999999999999999999\n", "is not a residue position"},
                 {"1-5000000\n", "is longer than any protein"},
                 {"# nothing\n", "site.txt: no residue positions"}}) {
            const auto thrown = thrownMessage<FormatError>([&] { parseResidueList(text, "site.txt"); });
            QVERIFY2(thrown && thrown->find(message) != std::string::npos, thrown ? thrown->c_str() : text.c_str());
        }
    }
    void thePlantedHeadIsTheMostEnriched()
    {
        const std::vector<Index> partnerOf = partners();
        const AttentionStore store = plantedStore(partnerOf);
        const auto result = headEnrichment(store, pairAnnotations(partnerOf), {}, nullptr);
        QCOMPARE(result.size(), std::size_t{8});
        const HeadEnrichment& planted = headOf(result, 1, 2);
        QCOMPARE(planted.count, kTokens); // one confident weight per query
        QCOMPARE(planted.share, 1.0);
        // 100 pairs of 200 x 200 ordered (query, key) pairs, both orders: 200 / 40,000
        QVERIFY(std::abs(planted.background - 200.0 / 40000.0) < 1e-12);
        QVERIFY(planted.p && *planted.p <= 1.0 / 1001.0 + 1e-12);
        QVERIFY(planted.q && *planted.q < 0.01);
        for (const HeadEnrichment& e : result)
            if (!(e.layer == 1 && e.head == 2) && e.p) {
                QVERIFY2(e.share < planted.share, qPrintable(QString("L%1H%2").arg(e.layer).arg(e.head)));
                QVERIFY(*e.q > 0.05);
            }
        QVERIFY(!headOf(result, 1, 0).p && !headOf(result, 1, 0).q); // a diffuse head: no confident weights
        QCOMPARE(headOf(result, 1, 0).count, 0L);
    }
    void aPositionalHeadIsNotEnrichedForLocalMarksOnceShuffledWithinBins()
    {
        // Half of the neighbouring pairs marked: the next-token head puts half its confident weight on marks,
        // 50 times the background; but marks shuffled among neighbours do as well, so it is not significant.
        TokenAnnotations a;
        for (Index i = 0; i + 1 < kTokens; i += 2)
            a.pairs.emplace_back(i, i + 1);
        const AttentionStore store = plantedStore(partners());
        const auto result = headEnrichment(store, a, {}, nullptr);
        const HeadEnrichment& positional = headOf(result, 0, 0);
        QVERIFY(std::abs(positional.share - 0.5) < 0.01);
        QVERIFY(positional.share > 20 * positional.background);
        QVERIFY2(*positional.p > 0.1, qPrintable(QString::number(*positional.p)));
    }
    void positionsCountTheKey()
    {
        // Every token whose index is a multiple of 10 marked; L0H0 attends to i + 1: 20 of its 200 keys marked
        TokenAnnotations a;
        a.positions.assign(kTokens, 0);
        for (Index i = 0; i < kTokens; i += 10)
            a.positions[static_cast<std::size_t>(i)] = 1;
        const auto result = headEnrichment(plantedStore(partners()), a, {}, nullptr);
        QVERIFY(std::abs(headOf(result, 0, 0).share - 0.1) < 1e-9);
        QVERIFY(std::abs(headOf(result, 0, 0).background - 0.1) < 1e-12);
    }
    void aFixedSeedGivesFixedValues()
    {
        const std::vector<Index> partnerOf = partners();
        const AttentionStore store = plantedStore(partnerOf);
        EnrichmentOptions o;
        o.seed = 11;
        o.permutations = 200;
        const auto a = headEnrichment(store, pairAnnotations(partnerOf), o, nullptr);
        const auto b = headEnrichment(store, pairAnnotations(partnerOf), o, nullptr);
        for (std::size_t i = 0; i < a.size(); ++i)
            QCOMPARE(a[i].p, b[i].p);
        o.minimumCount = 1000; // more than any head has: none is tested
        for (const HeadEnrichment& e : headEnrichment(store, pairAnnotations(partnerOf), o, nullptr))
            QVERIFY(!e.p && !e.q);
    }
    void inputsArePooled()
    {
        // The planted store with its pairs, and a store of diffuse heads but for a next-token L1H2: pooled,
        // L1H2 has both inputs' confident weights, half of them on marks.
        const std::vector<Index> partnerOf = partners();
        const AttentionStore planted = plantedStore(partnerOf);
        AttentionStore other(2, 4, kTokens, StorePlan{});
        const Matrix diffuse = Matrix::Constant(kTokens, kTokens, 1.0f / static_cast<float>(kTokens));
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 4; ++h)
                other.writeRows(l, h, 0, diffuse);
        other.writeRows(1, 2, 0, pointing([](Index i) { return (i + 1) % kTokens; }, 0.8f));
        EnrichmentOptions o;
        o.permutations = 100;
        const auto pooled = headEnrichment({{&planted, pairAnnotations(partnerOf)}, {&other, pairAnnotations(partnerOf)}}, o, nullptr);
        const HeadEnrichment& head = headOf(pooled, 1, 2);
        QCOMPARE(head.count, 2 * kTokens);
        QVERIFY(std::abs(head.share - 0.5) < 1e-9);
        QVERIFY(std::abs(head.background - 200.0 / 40000.0) < 1e-12); // both inputs have the same marks
        QVERIFY(head.p && *head.p < 0.02);
    }
    void benjaminiHochbergAdjusts()
    {
        const std::vector<double> q = benjaminiHochberg({0.01, 0.04, 0.03, 0.5});
        QVERIFY(std::abs(q[0] - 0.04) < 1e-12);
        QVERIFY(std::abs(q[1] - 0.04 * 4 / 3) < 1e-12);
        QVERIFY(std::abs(q[2] - 0.04 * 4 / 3) < 1e-12);
        QVERIFY(std::abs(q[3] - 0.5) < 1e-12);
        QCOMPARE(separationBin(5, 5), 0);
        QCOMPARE(separationBin(5, 6), 1);
        QCOMPARE(separationBin(9, 6), 2);
        QCOMPARE(separationBin(0, 7), 3);
        QCOMPARE(separationBin(0, 8), 4);
    }
};

QTEST_GUILESS_MAIN(TestEnrichment)
#include "TestEnrichment.moc"
