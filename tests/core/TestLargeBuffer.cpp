// LargeBuffer: alignment, reuse of a freed block by the next buffer of the same size, and a
// store's many blocks at once.

#include "util/LargeBuffer.h"

#include <QTest>

#include <cstdint>
#include <cstring>
#include <vector>

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
    void manyGivesDistinctWritableBlocksAndReusesTheCache()
    {
        const std::size_t bytes = (std::size_t{6} << 20) + 100; // a size no other test uses
        void* cached = nullptr;
        {
            LargeBuffer a(bytes);
            cached = a.data();
        }
        std::vector<LargeBuffer> blocks = LargeBuffer::many(3, bytes); // one from the cache, two fresh (mapped on every thread)
        QCOMPARE(blocks.size(), std::size_t{3});
        QCOMPARE(blocks.front().data(), cached);
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            QCOMPARE(blocks[i].size(), bytes);
            QCOMPARE(reinterpret_cast<std::uintptr_t>(blocks[i].data()) % 64, std::uintptr_t{0});
            std::memset(blocks[i].data(), static_cast<int>(i + 1), bytes);
        }
        for (std::size_t i = 0; i < blocks.size(); ++i) // no block overlaps another
            QCOMPARE(static_cast<const unsigned char*>(blocks[i].data())[bytes - 1], static_cast<unsigned char>(i + 1));
        QVERIFY(LargeBuffer::many(0, bytes).empty());
    }
};

QTEST_GUILESS_MAIN(TestLargeBuffer)
#include "TestLargeBuffer.moc"
