// The checkpoints researchers have for one DNA or protein sequence, as their Hugging Face
// directories hold them, against PyTorch references (tests/data/golden/sequence, made by
// tools/make_sequence_golden.py; PyTorch is not needed here): the Nucleotide Transformer v1 and
// v2, ProtBert and DNABERT-2. Their tokenizers, the vocabulary deciding the kind, and malformed files.

#include "io/Npy.h"
#include "model/ModelFamily.h"
#include "model/SequenceModel.h"
#include "model/layers/PositionalEncoding.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

constexpr float kAttentionTolerance = 1e-5f; // absolute, on every attention weight
constexpr float kOutputTolerance = 1e-4f;    // absolute, on logits and contact maps

std::filesystem::path caseDir(const std::string& name)
{
    return goldenDir("sequence") / name;
}

std::shared_ptr<const SequenceModel> loadSequenceModel(const std::filesystem::path& dir)
{
    return modelAs<SequenceModel>(loadModelPath(dir), dir.string(), "a sequence model");
}

std::vector<std::string> tokensOf(const SequenceModel& model, const std::string& sequence)
{
    std::vector<std::string> out;
    for (int id : model.encode(sequence).ids)
        out.push_back(model.vocabulary().at(static_cast<std::size_t>(id)));
    return out;
}

using Edit = std::function<void(const std::filesystem::path&)>;

void editConfig(const std::filesystem::path& dir, const std::function<void(nlohmann::json&)>& f)
{
    auto j = nlohmann::json::parse(readText(dir / "config.json"));
    f(j);
    writeText(dir / "config.json", j.dump());
}

void editTokenizer(const std::filesystem::path& dir, const std::function<void(nlohmann::json&)>& f)
{
    auto j = nlohmann::json::parse(readText(dir / "tokenizer.json"));
    f(j);
    writeText(dir / "tokenizer.json", j.dump());
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestSequenceModels : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int copies_ = 0;

private slots:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("dna");
        QTest::newRow("Nucleotide Transformer v1") << "nt_v1" << true;
        QTest::newRow("Nucleotide Transformer v2 (pytorch_model.bin, auto_map)") << "nt_v2" << true;
        QTest::newRow("ProtBert (pytorch_model.bin, tied decoder)") << "protbert" << false;
    }

    void matchesPyTorch()
    {
        QFETCH(QString, name);
        QFETCH(bool, dna);
        const auto dir = caseDir(name.toStdString());
        const auto model = loadSequenceModel(dir / "model");
        QCOMPARE(model->letters(), dna ? Letters::Dna : Letters::Protein);
        QVERIFY(model->maskedLm());
        const auto tokens = nlohmann::json::parse(readText(dir / "tokens.json"));
        const Encoding encoding = model->encode(tokens.at("sequence").get<std::string>());
        QCOMPARE(encoding.ids, tokens.at("ids").get<std::vector<int>>()); // the reference tokenizer's ids
        const SequenceRun run = model->run(encoding.ids, {});
        const float attention = storeDiff(run.result.attention, readNpy(dir / "expected/attention.npy"));
        QVERIFY2(attention < kAttentionTolerance, qPrintable(QString("attention differs by %1").arg(attention)));
        const Tensor logits = readNpy(dir / "expected/logits.npy");
        QCOMPARE(logits.shape, (std::vector<std::int64_t>{run.logits.rows(), run.logits.cols()}));
        QVERIFY2(maxAbsDiff(run.logits, logits) < kOutputTolerance, "logits differ");
        if (dna) {
            QCOMPARE(run.contacts.size(), Index(0)); // a DNA model predicts no contacts
            return;
        }
        QCOMPARE(QString::fromStdString(run.contactSource), QString("mean over heads"));
        QVERIFY2(maxAbsDiff(run.contacts, readNpy(dir / "expected/contacts.npy")) < kOutputTolerance, "contacts differ");
    }

    void dnabert2MatchesPyTorch()
    {
        const auto dir = caseDir("dnabert2");
        const auto model = loadSequenceModel(dir / "model");
        QCOMPARE(model->family(), std::string("dnabert2")); // by its auto_map, though it says no model_type
        QCOMPARE(model->letters(), Letters::Dna);
        const auto cases = nlohmann::json::parse(readText(dir / "tokens.json"));
        QCOMPARE(cases.size(), std::size_t(5));
        for (std::size_t n = 0; n < cases.size(); ++n) {
            const std::string sequence = cases[n].at("sequence").get<std::string>();
            const Encoding encoding = model->encode(sequence);
            QCOMPARE(encoding.ids, cases[n].at("ids").get<std::vector<int>>()); // npm's @huggingface/tokenizers
            QCOMPARE(encoding.tokens, cases[n].at("tokens").get<std::vector<std::string>>());
            int covered = 0;
            for (const TokenSpan& span : encoding.spans)
                if (span.begin >= 0) {
                    QCOMPARE(span.begin, covered); // every base covered once, in order
                    covered = span.end;
                }
            QCOMPARE(covered, static_cast<int>(sequence.size()));
            const SequenceRun run = model->run(encoding.ids, {});
            const std::string i = std::to_string(n);
            const float attention = storeDiff(run.result.attention, readNpy(dir / ("expected/attention_" + i + ".npy")));
            QVERIFY2(attention < kAttentionTolerance, qPrintable(QString("input %1: attention differs by %2").arg(n).arg(attention)));
            QVERIFY2(maxAbsDiff(run.logits, readNpy(dir / ("expected/logits_" + i + ".npy"))) < kOutputTolerance, "logits differ");
        }
    }

    void alibiSlopes_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<QList<double>>("log2Slopes");
        QTest::newRow("8 heads") << 8 << QList<double>{-1, -2, -3, -4, -5, -6, -7, -8};
        QTest::newRow("12 heads: 8, then every other of 16") << 12 << QList<double>{-1, -2, -3, -4, -5, -6, -7, -8, -0.5, -1.5, -2.5, -3.5};
        QTest::newRow("1 head") << 1 << QList<double>{-8};
    }

    void alibiSlopes()
    {
        QFETCH(int, heads);
        QFETCH(QList<double>, log2Slopes);
        const std::vector<float> slopes = attn::alibiSlopes(heads);
        QCOMPARE(static_cast<int>(slopes.size()), heads);
        for (int h = 0; h < heads; ++h)
            QCOMPARE(slopes[static_cast<std::size_t>(h)], static_cast<float>(std::pow(2.0, log2Slopes[h])));
    }

    void greedySixMers_data()
    {
        QTest::addColumn<QString>("sequence");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("one 6-mer") << "ACGTAC" << QStringList{"<cls>", "ACGTAC"};
        QTest::newRow("odd length: a single letter after") << "ACGTACG" << QStringList{"<cls>", "ACGTAC", "G"};
        QTest::newRow("N breaks the frame, which starts again after it")
            << "ACGNACGTACGG" << QStringList{"<cls>", "A", "C", "G", "N", "ACGTAC", "G", "G"};
        QTest::newRow("lowercase") << "ttgacagc" << QStringList{"<cls>", "TTGACA", "G", "C"};
        QTest::newRow("a letter no token has") << "ACGTACRA" << QStringList{"<cls>", "ACGTAC", "<unk>", "A"};
        QTest::newRow("empty") << "" << QStringList{"<cls>"};
    }

    void greedySixMers()
    {
        QFETCH(QString, sequence);
        QFETCH(QStringList, expected);
        const auto model = loadSequenceModel(caseDir("nt_v1") / "model");
        QStringList got;
        for (const std::string& t : tokensOf(*model, sequence.toStdString()))
            got << QString::fromStdString(t);
        QCOMPARE(got, expected);
        const Encoding e = model->encode(sequence.toStdString());
        int covered = 0; // every base is covered once, in order
        for (const TokenSpan& span : e.spans)
            if (span.begin >= 0) {
                QCOMPARE(span.begin, covered);
                covered = span.end;
            }
        QCOMPARE(covered, static_cast<int>(sequence.size()));
    }

    void eosOnlyWhenTheTokenizerNamesOne()
    {
        const auto dir = copyToTemp(tmp_, caseDir("nt_v1") / "model", "eos");
        QCOMPARE(tokensOf(*loadSequenceModel(dir), "ACGTACG").back(), std::string("G"));
        writeText(dir / "special_tokens_map.json", R"({"cls_token": "<cls>", "eos_token": "<eos>"})");
        const auto withEos = loadSequenceModel(dir);
        QCOMPARE(tokensOf(*withEos, "ACGTACG").back(), std::string("<eos>"));
        QCOMPARE(withEos->maxLetters(), (64 - 2) * 6); // <cls> and <eos> take two of its 64 tokens
    }

    void protBertResidues()
    {
        const auto model = loadSequenceModel(caseDir("protbert") / "model");
        const std::vector<std::string> expected{"[CLS]", "M", "X", "X", "X", "X", "[UNK]", "A", "[SEP]"};
        QCOMPARE(tokensOf(*model, "MUZOBJa"), expected); // U Z O B read as X, as ProtTrans prepares input
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("expected");
        QTest::newRow("v2 feed-forward not gated") << "nt_v2" << Edit([](auto d) { editConfig(d, [](auto& j) { j["use_glu_in_ffn"] = false; }); })
                                                   << "intermediate.dense.weight";
        QTest::newRow("v2 with biases it lacks") << "nt_v2" << Edit([](auto d) { editConfig(d, [](auto& j) { j["add_bias_fnn"] = true; }); })
                                                 << "intermediate.dense.bias";
        QTest::newRow("DNA vocab without <cls>") << "nt_v1" << Edit([](auto d) { writeText(d / "vocab.txt", "<unk>\n<pad>\n<mask>\nACGTAC\nA\n"); })
                                                 << "the special token '<cls>' is missing";
        QTest::newRow("ProtBert without its LM head") << "protbert"
                                                      << Edit([](auto d) { editConfig(d, [](auto& j) { j["architectures"] = {"BertForSequenceClassification"}; }); })
                                                      << "bert.pooler.dense.weight";
        QTest::newRow("ProtBert vocab with a word") << "protbert" << Edit([](auto d) { writeText(d / "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nL\nLys\n"); })
                                                    << "token 'Lys' is neither a DNA k-mer nor one amino-acid letter";
        QTest::newRow("auto_map to code of no family") << "nt_v2"
                                                       << Edit([](auto d) { editConfig(d, [](auto& j) { j["auto_map"] = {{"AutoModel", "modeling_other.Other"}}; }); })
                                                       << "missing key 'family'";
        QTest::newRow("DNABERT-2 without tokenizer.json") << "dnabert2" << Edit([](auto d) { std::filesystem::remove(d / "tokenizer.json"); })
                                                          << "tokenizer.json";
        QTest::newRow("tokenizer.json with a normalizer")
            << "dnabert2" << Edit([](auto d) { editTokenizer(d, [](auto& j) { j["normalizer"] = {{"type", "Lowercase"}}; }); })
            << "a normalizer is not supported";
        QTest::newRow("a merge making a token the vocabulary lacks")
            << "dnabert2" << Edit([](auto d) { editTokenizer(d, [](auto& j) { j["model"]["merges"].push_back("T G"); }); })
            << "joins or makes a token the vocabulary lacks";
        QTest::newRow("vocabulary ids with a hole")
            << "dnabert2" << Edit([](auto d) { editTokenizer(d, [](auto& j) { j["model"]["vocab"]["A"] = 100000; }); })
            << "must number its tokens 0 to";
        QTest::newRow("DNABERT-2 feed-forward not gated twice as wide")
            << "dnabert2" << Edit([](auto d) { editConfig(d, [](auto& j) { j["intermediate_size"] = 41; }); })
            << "mlp.gated_layers.weight";
        QTest::newRow("DNABERT-2's first config (model_type bert, no auto_map)")
            << "dnabert2" << Edit([](auto d) { editConfig(d, [](auto& j) { j.erase("auto_map"); j["model_type"] = "bert"; j["intermediate_size"] = 41; }); })
            << "mlp.gated_layers.weight"; // still read as DNABERT-2 (alibi_starting_size): a shape error, not BERT's
    }

    void malformed()
    {
        QFETCH(QString, golden);
        QFETCH(Edit, edit);
        QFETCH(QString, expected);
        const auto dir = copyToTemp(tmp_, caseDir(golden.toStdString()) / "model", "m" + std::to_string(copies_++));
        edit(dir);
        const auto msg = thrownMessage<Error>([&] { loadModelPath(dir); });
        QVERIFY2(msg.has_value(), "no error for a malformed model");
        QVERIFY2(QString::fromStdString(*msg).contains(expected), msg->c_str());
        QVERIFY2(QString::fromStdString(*msg).startsWith(QString::fromStdString(dir.string())), msg->c_str());
    }
};

QTEST_GUILESS_MAIN(TestSequenceModels)
#include "TestSequenceModels.moc"
