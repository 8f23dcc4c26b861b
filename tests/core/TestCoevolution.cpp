// The coevolution baseline: MI-APC as ProDy computes it (unweighted, fn3 seed alignment), and
// weighted at 80 % identity as the numpy reference of tools/make_msa_expected.py does; and the
// values mutual information must take on columns built by hand.

#include "interpret/Coevolution.h"
#include "io/Npy.h"
#include "msa/MsaReader.h"
#include "msa/SequenceWeights.h"

#include "TestSupport.h"

#include <QTest>

#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

double largestDifference(const Matrix& m, const Tensor& expected)
{
    double worst = 0;
    for (Index i = 0; i < m.rows(); ++i)
        for (Index j = 0; j < m.cols(); ++j)
            worst = std::max(worst, std::abs(double(m(i, j)) - expected.data[static_cast<std::size_t>(i * m.cols() + j)]));
    return worst;
}

Msa columnsOf(const std::vector<std::string>& rows)
{
    Msa msa;
    for (const std::string& r : rows)
        msa.rows.push_back(MsaRow{"", r, 0, {}, {}});
    return msa;
}

} // namespace

class TestCoevolution : public QObject {
    Q_OBJECT

private slots:
    void matchesProDyUnweighted()
    {
        const Msa msa = readMsa(dataDir() / "msa" / "fn3.sto");
        const Tensor expected = readNpy(dataDir() / "msa" / "fn3_mi_apc_prody.npy");
        QCOMPARE(expected.shape, (std::vector<std::int64_t>{117, 117}));
        const Matrix apc = averageProductCorrection(mutualInformation(msa, std::vector<double>(msa.sequences(), 1.0)));
        const double worst = largestDifference(apc, expected);
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }
    void matchesTheWeightedReference()
    {
        Msa msa = readMsa(dataDir() / "msa" / "tryps.a2m.gz");
        for (MsaRow& r : msa.rows)
            r.residues = r.residues.substr(200, 120);
        const double neff = effectiveSequences(sequenceWeights(msa));
        QVERIFY2(std::abs(neff - 55.7005) < 1e-3, qPrintable(QString::number(neff))); // weights matter here
        const Tensor expected = readNpy(dataDir() / "msa" / "tryps_200_320_mi_apc_weighted.npy");
        const double worst = largestDifference(miApcBaseline(msa), expected);
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }
    void mutualInformationOfColumnsBuiltByHand()
    {
        // columns 0 and 1 vary together (A-C or D-E, half each): MI = ln 2; column 2 is the same
        // everywhere (MI 0); column 3 varies independently of column 0 (MI 0)
        const Msa msa = columnsOf({"ACGA", "ACGD", "DEGA", "DEGD"});
        const Matrix mi = mutualInformation(msa, std::vector<double>(4, 1.0));
        QVERIFY(std::abs(mi(0, 1) - std::log(2.0)) < 1e-6);
        QCOMPARE(mi(0, 1), mi(1, 0));
        QVERIFY(std::abs(mi(0, 2)) < 1e-7 && std::abs(mi(0, 3)) < 1e-7 && mi(0, 0) == 0.0f);
        // a weight of 0 on two rows leaves A-C and D-E once each: still ln 2; and then column 3 is
        // tied to column 0 too
        const Matrix weighted = mutualInformation(msa, {1.0, 0.0, 0.0, 1.0});
        QVERIFY(std::abs(weighted(0, 3) - std::log(2.0)) < 1e-6);
        // one sequence carries no information, and the correction keeps it so (no NaN)
        const Matrix single = miApcBaseline(columnsOf({"ACDEFGHIK"}));
        QVERIFY(single.allFinite() && single.isZero());
    }
};

QTEST_GUILESS_MAIN(TestCoevolution)
#include "TestCoevolution.moc"
