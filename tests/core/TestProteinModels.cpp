// The protein families against their PyTorch references (tests/data/golden/proteins, made by
// tools/make_protein_golden.py from tools/protein_models.py; PyTorch is not needed here).

#include "io/Npy.h"
#include "model/layers/ContactHead.h"
#include "model/esm/EsmModel.h"
#include "model/ModelFamily.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "msa/MsaReader.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

namespace {

constexpr float kAttentionTolerance = 1e-5f; // absolute, on every attention weight
constexpr float kOutputTolerance = 1e-4f;    // absolute, on logits and contact probabilities

std::filesystem::path caseDir(const QString& name)
{
    return goldenDir("proteins") / name.toStdString();
}

std::filesystem::path modelDirOf(const QString& name)
{
    return caseDir(name == "msa_single" ? "msa_small" : name) / "model"; // msa_single reuses msa_small's model
}

/// A golden case's model: its directory, or the fair-esm file made from it (tools/make_fairesm_golden.py).
std::filesystem::path modelPath(const QString& name, const QString& fairEsmFile)
{
    return fairEsmFile.isEmpty() ? modelDirOf(name) : dataDir() / "checkpoints/fairesm" / fairEsmFile.toStdString();
}

QString diffText(const char* what, float diff)
{
    return QString("%1 differs by %2").arg(what).arg(static_cast<double>(diff));
}

} // namespace

class TestProteinModels : public QObject {
    Q_OBJECT
private slots:
    void msaTransformerMatchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("blocked");
        QTest::addColumn<QString>("file"); // the model as a fair-esm file, "" for its directory
        for (const char* c : {"msa_small", "msa_single", "msa_deep"}) {
            QTest::newRow(c) << QString(c) << false << QString();
            QTest::newRow(qPrintable(QString(c) + " in blocks")) << QString(c) << true << QString();
        }
        QTest::newRow("msa_small as fair-esm's file") << "msa_small" << false << "esm_msa1b_t2_small.pt";
    }
    void msaTransformerMatchesPyTorch()
    {
        QFETCH(QString, name);
        QFETCH(bool, blocked);
        QFETCH(QString, file);
        const auto dir = caseDir(name);
        auto model = modelAs<MsaTransformer>(loadModelPath(modelPath(name, file)), "model", "msa_transformer");
        if (blocked) // one column per block of column attention, one token per block of feed-forward
            model = std::make_shared<const MsaTransformer>(model->encoderConfig(), model->alphabet(),
                                                           std::shared_ptr<const Weights>(model, &model->weights()), 1);
        const Msa msa = readMsa(dir / "input.a3m");
        int unknown = -1;
        const std::vector<int> tokens = model->tokenize(msa, &unknown);
        QCOMPARE(unknown, 0); // X is a token of its own
        const auto rows = static_cast<Index>(msa.sequences());
        const SequenceRun run = model->run(tokens, rows, {});
        const Index c = static_cast<Index>(msa.columns()) + 1;
        QCOMPARE(QString::fromStdString(run.contactSource), QString("contact head")); // the regression, not the mean of the heads
        const ModelConfig& cfg = model->encoderConfig();

        const Tensor row = readNpy(dir / "expected/row_attention.npy");
        QCOMPARE(row.shape, (std::vector<std::int64_t>{cfg.nLayers, cfg.nHeads, c, c}));
        float diff = storeDiff(run.result.attention, row);
        QVERIFY2(diff < kAttentionTolerance, qPrintable(diffText("row attention", diff)));

        const Tensor column = readNpy(dir / "expected/column_attention.npy");
        QCOMPARE(column.shape, (std::vector<std::int64_t>{cfg.nLayers, cfg.nHeads, c, rows, rows}));
        diff = storeDiff(run.columnAttention, column);
        QVERIFY2(diff < kAttentionTolerance, qPrintable(diffText("column attention", diff)));

        const Tensor logits = readNpy(dir / "expected/logits.npy");
        QCOMPARE(logits.shape, (std::vector<std::int64_t>{rows, c, model->alphabet().size()}));
        diff = maxAbsDiff(run.logits, logits);
        QVERIFY2(diff < kOutputTolerance, qPrintable(diffText("logits", diff)));

        const Tensor contacts = readNpy(dir / "expected/contacts.npy");
        QCOMPARE(contacts.shape, (std::vector<std::int64_t>{c - 1, c - 1}));
        diff = maxAbsDiff(run.contacts, contacts);
        QVERIFY2(diff < kOutputTolerance, qPrintable(diffText("contacts", diff)));
        QCOMPARE(run.result.ids, std::vector<int>(tokens.begin(), tokens.begin() + c)); // the query row
    }
    void esmMatchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("file"); // the model as a fair-esm file, "" for its Hugging Face directory
        for (const char* c : {"esm_small", "esm_deep", "esm1b_absolute"})
            QTest::newRow(c) << QString(c) << QString();
        QTest::newRow("esm_small as fair-esm's ESM-2 file") << "esm_small" << "esm2_t2_small.pt";
        QTest::newRow("esm1b_absolute as fair-esm's ESM-1b file") << "esm1b_absolute" << "esm1b_t2_absolute.pt";
    }
    void esmMatchesPyTorch()
    {
        QFETCH(QString, name);
        QFETCH(QString, file);
        const auto dir = caseDir(name);
        const auto model = modelAs<EsmModel>(loadModelPath(modelPath(name, file)), "model", "esm");
        const Msa input = readMsa(dir / "input.fasta"); // one wrapped record
        const std::vector<int> ids = model->tokenize(input.rows.front().residues);
        const auto t = static_cast<Index>(ids.size());
        QCOMPARE(t, static_cast<Index>(input.columns()) + 2);
        const SequenceRun run = model->run(ids, {});
        const ModelConfig& cfg = model->encoderConfig();
        QCOMPARE(QString::fromStdString(run.contactSource), QString("contact head")); // the regression, not the mean of the heads

        const Tensor attention = readNpy(dir / "expected/attention.npy");
        QCOMPARE(attention.shape, (std::vector<std::int64_t>{cfg.nLayers, cfg.nHeads, t, t}));
        float diff = storeDiff(run.result.attention, attention);
        QVERIFY2(diff < kAttentionTolerance, qPrintable(diffText("attention", diff)));

        Tensor logits = readNpy(dir / "expected/logits.npy");
        QCOMPARE(logits.shape, (std::vector<std::int64_t>{t, static_cast<std::int64_t>(model->vocabulary().size())}));
        const bool esm1bFile = file.startsWith("esm1b");
        if (esm1bFile) { // fair-esm's loader zeroes ESM-1b's <mask> embedding, the tied decoder's row: that logit is the bias alone
            const auto vocab = static_cast<Index>(model->vocabulary().size());
            const Index mask = model->maskId();
            const float bias = model->weights().get("lm_head.bias", {static_cast<std::int64_t>(vocab)}).data[static_cast<std::size_t>(mask)];
            for (Index i = 0; i < t; ++i) {
                QCOMPARE(run.logits(i, mask), bias);
                logits.data[static_cast<std::size_t>(i * vocab + mask)] = bias;
            }
        }
        diff = maxAbsDiff(run.logits, logits);
        QVERIFY2(diff < kOutputTolerance, qPrintable(diffText("logits", diff)));

        diff = maxAbsDiff(run.contacts, readNpy(dir / "expected/contacts.npy"));
        QVERIFY2(diff < kOutputTolerance, qPrintable(diffText("contacts", diff)));
    }
    void esmTakesRotaryFrequenciesFromTheFile()
    {
        // The file's inv_freq is rounded to float16, as in released checkpoints; without it the
        // frequencies are recomputed and the attention moves.
        const auto dir = caseDir("esm_small") / "model";
        TensorMap tensors = readSafeTensors(dir / "model.safetensors");
        const Tensor& stored = tensors.at("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq");
        const RowVector computed = rotaryFrequencies(8);
        float rounding = 0.0f;
        for (Index i = 0; i < computed.size(); ++i)
            rounding = std::max(rounding, std::abs(computed(i) - stored.data[static_cast<std::size_t>(i)]));
        QVERIFY(rounding > 0.0f);

        QTemporaryDir tmp;
        const auto copy = copyToTemp(tmp, dir, "model");
        for (auto it = tensors.begin(); it != tensors.end();)
            it = it->first.find("inv_freq") != std::string::npos ? tensors.erase(it) : std::next(it);
        writeSafeTensors(copy / "model.safetensors", tensors);
        const auto withFile = modelAs<EsmModel>(loadModelPath(dir), "model", "esm");
        const auto recomputed = modelAs<EsmModel>(loadModelPath(copy), "model", "esm");
        const std::vector<int> ids = withFile->tokenize("MKTAYIAKQRQISFVKSHFSRQXLEERLGLIEVQ");
        const Matrix a = withFile->run(ids, {}).result.attention.head(1, 0);
        const Matrix b = recomputed->run(ids, {}).result.attention.head(1, 0);
        QVERIFY((a - b).cwiseAbs().maxCoeff() > 0.0f);
    }
    void alphabetEncodesResidues()
    {
        const ProteinAlphabet a = ProteinAlphabet::esm();
        QCOMPARE(a.size(), 33);
        QCOMPARE(a.cls(), 0);
        QCOMPARE(a.pad(), 1);
        QCOMPARE(a.eos(), 2);
        QCOMPARE(a.unk(), 3);
        QCOMPARE(a.mask(), 32);
        int unknown = 0;
        QCOMPARE(a.encode("LaX-J", &unknown), (std::vector<int>{4, 5, 24, 30, 3}));
        QCOMPARE(unknown, 1);
        const auto message = thrownMessage<FormatError>([] { ProteinAlphabet::fromTokens({"<cls>", "<pad>", "<eos>", "A"}, "vocab.txt"); });
        QVERIFY(message && message->find("vocab.txt") != std::string::npos && message->find("<unk>") != std::string::npos);
    }
    void esmDropsGapsAndFramesTheSequence()
    {
        const auto model = modelAs<EsmModel>(loadModelPath(caseDir("esm_small") / "model"), "model", "esm");
        QCOMPARE(model->tokenize("M-K.A"), (std::vector<int>{0, 20, 15, 5, 2}));
    }
    void symmetrizedApcMatchesTheFormula()
    {
        Matrix a(3, 3);
        a << 0.1f, 0.6f, 0.3f, 0.2f, 0.2f, 0.6f, 0.5f, 0.4f, 0.1f;
        const Matrix f = a + a.transpose();
        const Matrix got = symmetrizedApc(a);
        for (Index i = 0; i < 3; ++i)
            for (Index j = 0; j < 3; ++j) {
                const float expected = f(i, j) - f.row(i).sum() * f.col(j).sum() / f.sum();
                QVERIFY(std::abs(got(i, j) - expected) < 1e-6f);
            }
    }
    void columnAttentionIsRefusedOverTheBudget()
    {
        const auto model = modelAs<MsaTransformer>(loadModelPath(caseDir("msa_small") / "model"), "model", "msa_transformer");
        const Index rows = 300, columns = 15;
        std::vector<int> tokens(static_cast<std::size_t>(rows * columns), 5);
        for (Index r = 0; r < rows; ++r)
            tokens[static_cast<std::size_t>(r * columns)] = 0;
        RunOptions options;
        options.store.budgetBytes = 40u << 20; // the column store alone needs 2 x 4 x 15 x 300^2 x 4 bytes = 43 MB
        const auto message = thrownMessage<ResourceError>([&] { model->run(tokens, rows, options); });
        QVERIFY(message);
        QVERIFY2(message->find("column attention store") != std::string::npos && message->find("--max-sequences") != std::string::npos,
                 message->c_str());
    }
    void tooManySequencesAreRefused()
    {
        const auto model = modelAs<MsaTransformer>(loadModelPath(caseDir("msa_small") / "model"), "model", "msa_transformer");
        QCOMPARE(model->maxRows(), Index{1024});
        const Index rows = 1025;
        std::vector<int> tokens(static_cast<std::size_t>(rows * 2), 5);
        bool refused = false;
        try {
            model->run(tokens, rows, {});
        } catch (const ShapeError& e) {
            refused = std::string(e.what()).find("1025 sequences") != std::string::npos;
        }
        QVERIFY(refused);
    }
};

QTEST_GUILESS_MAIN(TestProteinModels)
#include "TestProteinModels.moc"
