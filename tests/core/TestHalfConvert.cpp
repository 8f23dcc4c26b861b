// Bulk float16 conversion agrees bit for bit with Eigen::half (round to nearest even),
// including ties, subnormals, overflow, infinities and NaN, for lengths that are not
// multiples of the vector width.

#include "tensor/HalfConvert.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace attn;

namespace {

std::uint16_t bits(Eigen::half h)
{
    std::uint16_t b;
    std::memcpy(&b, &h, sizeof b);
    return b;
}

} // namespace

class TestHalfConvert : public QObject {
    Q_OBJECT
private slots:
    void matchesEigenHalf()
    {
        std::vector<float> values{0.0f, -0.0f, 1.0f, 0.1f, 1.0f / 3.0f, 65504.0f, 65520.0f, 1e6f, 6e-8f, 3e-8f, 1e-5f,
                                  1.00048828125f /* tie: 1 + 2^-11 */, 1.00146484375f /* tie: 1 + 3 * 2^-11 */,
                                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
        for (int i = 0; i < 1000; ++i)
            values.push_back(std::ldexp(static_cast<float>(i % 97) / 97.0f - 0.5f, (i % 40) - 28));
        std::vector<Eigen::half> converted(values.size());
        floatToHalf(values.data(), converted.data(), values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            QVERIFY2(bits(converted[i]) == bits(Eigen::half(values[i])), qPrintable(QString::number(values[i], 'g', 9)));
        std::vector<float> back(values.size());
        halfToFloat(converted.data(), back.data(), values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            QCOMPARE(back[i], static_cast<float>(converted[i]));
        const float nan = std::numeric_limits<float>::quiet_NaN();
        Eigen::half h;
        floatToHalf(&nan, &h, 1);
        QVERIFY(std::isnan(static_cast<float>(h)));
    }
};

QTEST_GUILESS_MAIN(TestHalfConvert)
#include "TestHalfConvert.moc"
