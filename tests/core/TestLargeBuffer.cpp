// LargeBuffer: alignment, and reuse of a freed block by the next buffer of the same size.

#include "util/LargeBuffer.h"

#include <QTest>

#include <cstdint>
#include <cstring>

using namespace attn;

class TestLargeBuffer : public QObject {
    Q_OBJECT
private slots:
    void alignedAndWritable()
    {
        LargeBuffer b(1000);
        QCOMPARE(b.size(), std::size_t{1000});
        QCOMPARE(reinterpret_cast<std::uintptr_t>(b.data()) % 64, std::uintptr_t{0});
        std::memset(b.data(), 7, b.size());
        QVERIFY(LargeBuffer(0).data() == nullptr);
    }
    void sameSizeReusesTheFreedBlock()
    {
        const std::size_t bytes = std::size_t{24} << 20;
        void* first = nullptr;
        {
            LargeBuffer a(bytes);
            first = a.data();
            std::memset(a.data(), 1, bytes);
        }
        LargeBuffer again(bytes);
        QCOMPARE(again.data(), first); // from the cache, no new pages
        LargeBuffer other(bytes); // the cache had one block: this one is new
        QVERIFY(other.data() != first);
        LargeBuffer moved = std::move(other);
        QVERIFY(moved.data() != nullptr && moved.size() == bytes);
    }
};

QTEST_GUILESS_MAIN(TestLargeBuffer)
#include "TestLargeBuffer.moc"
