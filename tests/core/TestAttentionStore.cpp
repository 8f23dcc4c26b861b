#include "attention/AttentionStore.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/Error.h"
#include "model/RunMemory.h"

#include "TestSupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace attn;
using namespace attn::test;

class TestAttentionStore : public QObject {
    Q_OBJECT
private slots:
    void sizeIsKnownBeforeTheRun()
    {
        QCOMPARE(AttentionStore::bytesNeeded(6, 8, 2048, StoreType::F32), std::size_t{6} * 8 * 2048 * 2048 * 4);
        QCOMPARE(AttentionStore::bytesNeeded(6, 8, 2048, StoreType::F16), std::size_t{6} * 8 * 2048 * 2048 * 2);
        AttentionStore s(4, 2, 10, {StoreType::F16, {1, 3}, 0, {}});
        QCOMPARE(s.bytes(), AttentionStore::bytesNeeded(2, 2, 10, StoreType::F16));
        QVERIFY(s.hasLayer(1) && s.hasLayer(3) && !s.hasLayer(0) && !s.hasLayer(2));
    }
    void refusesOverBudgetWithAdvice_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("advice");
        QTest::newRow("f32") << static_cast<int>(StoreType::F32) << "use the float16 store";
        QTest::newRow("f16") << static_cast<int>(StoreType::F16) << "keep fewer layers";
    }
    void refusesOverBudgetWithAdvice()
    {
        QFETCH(int, type);
        QFETCH(QString, advice);
        const StorePlan plan{static_cast<StoreType>(type), {}, 1000000, {}};
        const auto msg = thrownMessage<ResourceError>([&] { AttentionStore(6, 8, 512, plan); });
        QVERIFY(msg.has_value());
        QVERIFY2(QString::fromStdString(*msg).contains(advice), msg->c_str());
        QVERIFY(QString::fromStdString(*msg).contains("1.0 MB"));
    }
    void defaultBudgetIsHalfOfMemory()
    {
        // 1,000 layers x 8 heads x 100,000^2 floats is far beyond any machine's memory.
        QVERIFY_THROWS_EXCEPTION(ResourceError, AttentionStore(1000, 8, 100000, StorePlan{}));
    }
    void refusedRunAllocatesNothing()
    {
        const auto model = loadModel(goldenDir("postln_relu"));
        RunOptions options;
        options.store.budgetBytes = 100;
        QVERIFY_THROWS_EXCEPTION(ResourceError, model->run({1, 3, 4, 5}, {}, options));
        options.store.layers = {1};
        MemoryPlan plan("the run"); // the whole run: one layer of 4 heads x 4 x 4 floats, and the activations
        planEncoderRun(plan, model->config(), 4, options.store);
        QCOMPARE(plan.items().at(0).bytes, std::size_t{4 * 4 * 4 * 4});
        options.store.budgetBytes = plan.total() - 1;
        const auto over = thrownMessage<ResourceError>([&] { model->run({1, 3, 4, 5}, {}, options); });
        QVERIFY(over && over->find("attention store 256 bytes, activations") != std::string::npos);
        options.store.budgetBytes = plan.total();
        const RunResult r = model->run({1, 3, 4, 5}, {}, options);
        QVERIFY(!r.attention.hasLayer(0) && r.attention.hasLayer(1));
        QVERIFY(std::abs(r.attention.head(1, 0).row(2).sum() - 1.0f) < 1e-6f);
    }
    void rejectsUnknownLayer()
    {
        QVERIFY_THROWS_EXCEPTION(Error, AttentionStore(2, 2, 4, {StoreType::F32, {2}, 0, {}}));
    }
    void float16RoundTrip()
    {
        AttentionStore s(1, 1, 2, {StoreType::F16, {}, 0, {}});
        Matrix rows(2, 2);
        rows << 0.25f, 0.75f, 0.1f, 0.9f;
        s.writeRows(0, 0, 0, rows);
        QCOMPARE(s.weight(0, 0, 0, 1), 0.75f);
        QVERIFY(std::abs(s.weight(0, 0, 1, 0) - 0.1f) < 1e-4f);
    }
    void storeOnDiskHoldsEveryLayer_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("f32") << static_cast<int>(StoreType::F32);
        QTest::newRow("f16") << static_cast<int>(StoreType::F16);
    }
    void storeOnDiskHoldsEveryLayer()
    {
        QFETCH(int, type);
        const auto model = loadModel(goldenDir("postln_relu"));
        QTemporaryDir dir;
        RunOptions memory, disk;
        memory.store.type = disk.store.type = static_cast<StoreType>(type);
        disk.store.diskDirectory = dir.path().toStdString();
        const std::vector<int> ids{1, 3, 4, 5, 2, 6};
        const RunResult a = model->run(ids, {}, memory), b = model->run(ids, {}, disk);
        QVERIFY(!a.attention.isOnDisk() && b.attention.isOnDisk());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0); // unlinked files
        for (int l = 0; l < model->config().nLayers; ++l) // every layer written out and dropped, then read back
            for (int h = 0; h < model->config().nHeads; ++h)
                QVERIFY(a.attention.head(l, h) == b.attention.head(l, h));
        QCOMPARE(b.attention.bytes(), a.attention.bytes());
        QVERIFY(a.logits == b.logits);
    }
    void storeOnDiskCountsThreeLayersOfMemory()
    {
        StorePlan plan{StoreType::F16, {}, 0, {}};
        QCOMPARE(AttentionStore::memoryNeeded(30, 16, 1000, plan), AttentionStore::bytesNeeded(30, 16, 1000, StoreType::F16));
        plan.diskDirectory = "/unused";
        QCOMPARE(AttentionStore::memoryNeeded(30, 16, 1000, plan), AttentionStore::bytesNeeded(3, 16, 1000, StoreType::F16));
        QCOMPARE(AttentionStore::memoryNeeded(2, 16, 1000, plan), AttentionStore::bytesNeeded(2, 16, 1000, StoreType::F16));
    }
    void storeOnDiskNamesAMissingDirectory()
    {
        StorePlan plan{StoreType::F16, {}, 0, {}};
        plan.diskDirectory = "/nonexistent/attnscope-store";
        const auto msg = thrownMessage<IoError>([&] { AttentionStore(2, 2, 8, plan); });
        QVERIFY(msg && msg->find("/nonexistent/attnscope-store") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestAttentionStore)
#include "TestAttentionStore.moc"
