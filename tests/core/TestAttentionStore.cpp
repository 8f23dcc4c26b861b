#include "attention/AttentionStore.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/Error.h"
#include "model/RunMemory.h"

#include "TestSupport.h"

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
        AttentionStore s(4, 2, 10, {StoreType::F16, {1, 3}, 0});
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
        const StorePlan plan{static_cast<StoreType>(type), {}, 1000000};
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
        QVERIFY_THROWS_EXCEPTION(Error, AttentionStore(2, 2, 4, {StoreType::F32, {2}, 0}));
    }
    void float16RoundTrip()
    {
        AttentionStore s(1, 1, 2, {StoreType::F16, {}, 0});
        Matrix rows(2, 2);
        rows << 0.25f, 0.75f, 0.1f, 0.9f;
        s.writeRows(0, 0, 0, rows);
        QCOMPARE(s.weight(0, 0, 0, 1), 0.75f);
        QVERIFY(std::abs(s.weight(0, 0, 1, 0) - 0.1f) < 1e-4f);
    }
};

QTEST_GUILESS_MAIN(TestAttentionStore)
#include "TestAttentionStore.moc"
