// Loading a model directory, and every malformed-model case giving a clear error.

#include "io/SafeTensors.h"
#include "model/ct_encoder/CtModel.h"
#include "model/torch_encoder/EncoderModel.h"
#include "model/ModelFamily.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace attn;
using namespace attn::test;

namespace {

using Edit = std::function<void(const std::filesystem::path& dir)>;

void editConfig(const std::filesystem::path& dir, const std::function<void(nlohmann::json&)>& f)
{
    auto j = nlohmann::json::parse(readText(dir / "config.json"));
    f(j);
    writeText(dir / "config.json", j.dump());
}

void editTensors(const std::filesystem::path& dir, const std::function<void(TensorMap&)>& f)
{
    TensorMap t = readSafeTensors(dir / "model.safetensors");
    f(t);
    writeSafeTensors(dir / "model.safetensors", t);
}

void truncate(const std::filesystem::path& file, std::uintmax_t keep)
{
    std::filesystem::resize_file(file, keep);
}

/// Size of the 8-byte length plus the JSON header: where the tensor data starts.
std::uintmax_t dataStart(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::uint64_t length = 0;
    in.read(reinterpret_cast<char*>(&length), sizeof length); // little-endian, as on every supported machine
    return 8 + length;
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestModelLoading : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int copies_ = 0;

    /// Copies a golden model, applies the row's edit, and checks the load error names the
    /// row's file and says what the row expects.
    void checkMalformed(const char* golden)
    {
        QFETCH(Edit, edit);
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const auto dir = copyToTemp(tmp_, goldenDir(golden), "m" + std::to_string(copies_++));
        edit(dir);
        const auto msg = thrownMessage<Error>([&] { loadModelPath(dir); });
        QVERIFY2(msg.has_value(), "no error for a malformed model");
        const QString text = QString::fromStdString(*msg);
        QVERIFY2(text.contains(expected), qPrintable(text));
        const auto named = file.isEmpty() ? dir : dir / file.toStdString(); // "": the folder itself
        QVERIFY2(text.startsWith(QString::fromStdString(named.string()) + ":"), qPrintable(text));
    }

private slots:
    void loadsGoldenModel()
    {
        const auto model = loadModel(goldenDir("preln_gelu"));
        QCOMPARE(model->config().family, std::string("torch_encoder"));
        QCOMPARE(model->config().nLayers, 3);
        QVERIFY(model->config().normFirst);
        QCOMPARE(model->config().activation, Activation::Gelu);
        QCOMPARE(model->config().positional, Positional::Learned);
        // embed 7x16, pos 64x16, 3 layers of (in 48x16+48, out 16x16+16, ff 32x16+32 + 16x32+16, 2 norms 4x16),
        // final norm 32, classifier 3x16+3
        const std::int64_t perLayer = 48 * 16 + 48 + 16 * 16 + 16 + 32 * 16 + 32 + 16 * 32 + 16 + 4 * 16;
        QCOMPARE(model->weights().parameterCount(), 7 * 16 + 64 * 16 + 3 * perLayer + 32 + 3 * 16 + 3);
    }
    void malformedModel_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        row("no config", [](auto d) { std::filesystem::remove(d / "config.json"); }, "", "not a model (expected a folder with config.json and its weights, a MONAI bundle");
        row("no weights", [](auto d) { std::filesystem::remove(d / "model.safetensors"); }, "", "no weights (expected model.safetensors, pytorch_model.bin");
        row("config not json", [](auto d) { writeText(d / "config.json", "{\"d_model\": 16,"); }, "config.json", "not valid JSON");
        row("config number beyond double", [](auto d) { writeText(d / "config.json", "{\"d_model\": 1e400}"); }, "config.json",
            "not valid JSON"); // the twin of a fuzz_safetensors finding: nlohmann's out_of_range escaped
        row("config missing key", [](auto d) { editConfig(d, [](auto& j) { j.erase("n_heads"); }); }, "config.json",
            "missing key 'n_heads'");
        row("config wrong type", [](auto d) { editConfig(d, [](auto& j) { j["n_layers"] = "three"; }); }, "config.json",
            "'n_layers' must be a positive integer");
        row("unknown family", [](auto d) { editConfig(d, [](auto& j) { j["family"] = "gpt"; }); }, "config.json",
            "'family' is \"gpt\"");
        row("unknown activation", [](auto d) { editConfig(d, [](auto& j) { j["activation"] = "swish"; }); }, "config.json",
            "'activation' is \"swish\"");
        row("heads do not divide", [](auto d) { editConfig(d, [](auto& j) { j["n_heads"] = 3; }); }, "config.json",
            "not divisible by n_heads");
        row("special token missing", [](auto d) { editConfig(d, [](auto& j) { j["tokenizer"]["cls"] = "<s>"; }); },
            "config.json", "special token '<s>' is not in the vocab");
        row("more layers than weights", [](auto d) { editConfig(d, [](auto& j) { j["n_layers"] = 4; }); },
            "model.safetensors", "missing tensor 'encoder.layers.3.self_attn.in_proj_weight'");
        row("missing tensor", [](auto d) { editTensors(d, [](auto& t) { t.erase("encoder.layers.1.linear2.bias"); }); },
            "model.safetensors", "missing tensor 'encoder.layers.1.linear2.bias'");
        row("wrong shape", [](auto d) { editTensors(d, [](auto& t) { t["classifier.weight"] = Tensor{{2, 16}, std::vector<float>(32)}; }); },
            "model.safetensors", "tensor 'classifier.weight' has shape [2, 16], expected [3, 16]");
        row("vocab disagrees with embedding", [](auto d) { editConfig(d, [](auto& j) { j["tokenizer"]["vocab"].push_back("N"); }); },
            "model.safetensors", "tensor 'embed.weight' has shape [7, 16], expected [8, 16]");
        row("truncated weights", [](auto d) { truncate(d / "model.safetensors", dataStart(d / "model.safetensors") + 100); }, "model.safetensors",
            "run past the end of the data");
        row("weights header cut", [](auto d) { truncate(d / "model.safetensors", 100); }, "model.safetensors",
            "longer than the rest of the file");
    }
    void malformedModel()
    {
        checkMalformed("preln_gelu");
    }
    void malformedBert_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        row("no vocab", [](auto d) { std::filesystem::remove(d / "vocab.txt"); }, "vocab.txt", "cannot open");
        row("vocab without [SEP]", [](auto d) { writeText(d / "vocab.txt", "[PAD]\n[UNK]\n[CLS]\nAAA\n"); }, "vocab.txt",
            "special token '[SEP]' is not in the vocabulary");
        row("wordpiece vocab", [](auto d) { writeText(d / "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n"); },
            "vocab.txt", "vocab.txt:5: token 'hello' is neither a DNA k-mer nor one amino-acid letter");
        row("vocab size disagrees", [](auto d) { editConfig(d, [](auto& j) { j["vocab_size"] = 70; }); }, "config.json",
            "'vocab_size' is 70 but vocab.txt has 69 tokens");
        row("other activation", [](auto d) { editConfig(d, [](auto& j) { j["hidden_act"] = "relu"; }); }, "config.json",
            "'hidden_act' is \"relu\"");
        row("missing hidden size", [](auto d) { editConfig(d, [](auto& j) { j.erase("hidden_size"); }); }, "config.json",
            "missing key 'hidden_size'");
        row("missing query", [](auto d) {
            editTensors(d, [](auto& t) { t.erase("bert.encoder.layer.1.attention.self.query.weight"); });
        }, "model.safetensors", "missing tensor 'bert.encoder.layer.1.attention.self.query.weight'");
        row("wrong pooler shape", [](auto d) {
            editTensors(d, [](auto& t) { t["bert.pooler.dense.weight"] = Tensor{{16, 8}, std::vector<float>(128)}; });
        }, "model.safetensors", "tensor 'bert.pooler.dense.weight' has shape [16, 8], expected [16, 16]");
    }
    void malformedBert()
    {
        checkMalformed("bert_kmer3");
    }
    void malformedCt_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        const auto config = [](std::function<void(nlohmann::json&)> f) { return [f](auto d) { editConfig(d, f); }; };
        row("heads as text", config([](auto& j) { j["n_heads"] = "four"; }), "config.json", "'n_heads' must be a positive integer");
        row("norm_first as text", config([](auto& j) { j["norm_first"] = "yes"; }), "config.json", "'norm_first' must be true or false");
        row("activation as number", config([](auto& j) { j["activation"] = 7; }), "config.json", "'activation' must be a string");
        row("eps as text", config([](auto& j) { j["batch_norm_eps"] = "small"; }), "config.json", "'batch_norm_eps' must be a number");
        row("labels as number", config([](auto& j) { j["labels"] = 2; }), "config.json", "'labels' must be a non-empty list of strings");
        row("input size of two", config([](auto& j) { j["input_size"] = {16, 12}; }), "config.json",
            "'input_size' must be a list of 3 positive integers (x, y, z)");
        row("hu window as text", config([](auto& j) { j["hu_window"] = {"air", "bone"}; }), "config.json",
            "'hu_window' must be a list of 2 numbers");
        row("stem kernel as text", config([](auto& j) { j["stem"][1]["kernel"] = "3"; }), "config.json",
            "stem stage 1: 'kernel' must be a positive integer");
        row("stem padding negative", config([](auto& j) { j["stem"][0]["padding"] = -1; }), "config.json",
            "stem stage 0: 'padding' must be a non-negative integer");
        row("stem stage not an object", config([](auto& j) { j["stem"][0] = 3; }), "config.json", "stem stage 0 must be an object");
        row("stem empty", config([](auto& j) { j["stem"] = nlohmann::json::array(); }), "config.json", "'stem' must be a non-empty list");
        row("missing cls token", [](auto d) { editTensors(d, [](auto& t) { t.erase("cls_token"); }); }, "model.safetensors",
            "missing tensor 'cls_token'");
        row("wrong positions", [](auto d) { editTensors(d, [](auto& t) { t["pos_embed"] = Tensor{{1, 5, 16}, std::vector<float>(80)}; }); },
            "model.safetensors", "tensor 'pos_embed' has shape [1, 5, 16], expected [1, 25, 16]");
    }
    void malformedCt()
    {
        checkMalformed("ct");
    }
    void malformedEhr_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        const auto config = [](std::function<void(nlohmann::json&)> f) { return [f](auto d) { editConfig(d, f); }; };
        const auto tensors = [](std::function<void(TensorMap&)> f) { return [f](auto d) { editTensors(d, f); }; };
        row("codes without [UNK]", config([](auto& j) { j["codes"][2] = "UNK"; }), "config.json",
            "'codes' must start with \"[PAD]\", \"[CLS]\", \"[UNK]\"");
        row("a code twice", config([](auto& j) { j["codes"].push_back(j["codes"][3]); }), "config.json", "'codes' lists \"RXNORM/855332\" twice");
        row("std of zero", config([](auto& j) { j["value_stats"]["LOINC/6301-6"] = {1.0, 0.0}; }), "config.json",
            "value_stats: \"LOINC/6301-6\": the mean must be finite and the std positive");
        row("stats of one number", config([](auto& j) { j["value_stats"]["LOINC/6301-6"] = {1.0}; }), "config.json", "must be [mean, std]");
        row("time scale of zero", config([](auto& j) { j["time_scale_days"] = 0; }), "config.json", "'time_scale_days' must be positive");
        row("time scale as text", config([](auto& j) { j["time_scale_days"] = "year"; }), "config.json", "'time_scale_days' must be a finite number");
        row("no max_events", config([](auto& j) { j.erase("max_events"); }), "config.json", "missing key 'max_events'");
        row("more codes than embeddings", config([](auto& j) { j["codes"].push_back("LOINC/1-8"); }), "model.safetensors",
            "tensor 'code_embed.weight' has shape [9, 16], expected [10, 16]");
        row("cve of another width", config([](auto& j) { j["cve_hidden"] = 4; }), "model.safetensors",
            "tensor 'time_cve.0.weight' has shape [8, 1], expected [4, 1]");
        row("no value cve", tensors([](auto& t) { t.erase("value_cve.2.bias"); }), "model.safetensors", "missing tensor 'value_cve.2.bias'");
        row("no final norm", tensors([](auto& t) { t.erase("encoder.norm.weight"); }), "model.safetensors", "missing tensor 'encoder.norm.weight'");
    }
    void malformedEhr()
    {
        checkMalformed("ehr");
    }
    void malformedMsaTransformer_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        const auto config = [](std::function<void(nlohmann::json&)> f) { return [f](auto d) { editConfig(d, f); }; };
        const auto tensors = [](std::function<void(TensorMap&)> f) { return [f](auto d) { editTensors(d, f); }; };
        row("missing embed_dim", config([](auto& j) { j.erase("embed_dim"); }), "config.json", "missing key 'embed_dim'");
        row("heads do not divide", config([](auto& j) { j["attention_heads"] = 3; }), "config.json", "not divisible by attention_heads");
        row("vocab without <mask>", config([](auto& j) { j["vocab"] = {"<cls>", "<pad>", "<eos>", "<unk>", "A"}; }), "config.json",
            "the special token '<mask>' is missing");
        row("vocab with a word", config([](auto& j) { j["vocab"] = {"<cls>", "<pad>", "<eos>", "<unk>", "<mask>", "ALA"}; }), "config.json",
            "token 5 ('ALA') is neither one residue letter nor <special>");
        row("rows and columns swapped names", tensors([](auto& t) { t.erase("layers.1.column_self_attention.layer.q_proj.weight"); }),
            "model.safetensors", "missing tensor 'layers.1.column_self_attention.layer.q_proj.weight'");
        row("row embedding of 3 dimensions", tensors([](auto& t) { t["msa_position_embedding"] = Tensor{{1024, 1, 32}, std::vector<float>(32768)}; }),
            "model.safetensors", "tensor 'msa_position_embedding' has shape [1024, 1, 32], expected [1, rows, 1, 32]");
        row("positions shorter than max_positions", config([](auto& j) { j["max_positions"] = 100; }), "model.safetensors",
            "tensor 'embed_positions.weight' has shape [42, 32], expected [102, 32]");
        row("contact head of other layers", config([](auto& j) { j["layers"] = 1; }), "model.safetensors",
            "tensor 'contact_head.regression.weight' has shape [1, 8], expected [1, 4]");
    }
    void malformedMsaTransformer()
    {
        checkMalformed("proteins/msa_small/model");
    }
    void malformedEsm_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, Edit e, const char* file, const char* expected) {
            QTest::newRow(name) << e << QString(file) << QString(expected);
        };
        const auto config = [](std::function<void(nlohmann::json&)> f) { return [f](auto d) { editConfig(d, f); }; };
        const auto tensors = [](std::function<void(TensorMap&)> f) { return [f](auto d) { editTensors(d, f); }; };
        row("no vocab", [](auto d) { std::filesystem::remove(d / "vocab.txt"); }, "vocab.txt", "cannot open");
        row("vocab without <eos>", [](auto d) { writeText(d / "vocab.txt", "<cls>\n<pad>\n<unk>\n<mask>\nL\n"); }, "vocab.txt",
            "the special token '<eos>' is missing");
        row("vocab size disagrees", config([](auto& j) { j["vocab_size"] = 30; }), "config.json", "'vocab_size' is 30 but vocab.txt has 33 tokens");
        row("ESMFold", config([](auto& j) { j["is_folding_model"] = true; }), "config.json", "an ESMFold model");
        row("unknown positions", config([](auto& j) { j["position_embedding_type"] = "alibi"; }), "config.json",
            "'position_embedding_type' is \"alibi\"");
        row("missing key weight", tensors([](auto& t) { t.erase("esm.encoder.layer.1.attention.self.key.weight"); }), "model.safetensors",
            "missing tensor 'esm.encoder.layer.1.attention.self.key.weight'");
        row("wrong feed-forward shape", tensors([](auto& t) {
            t["esm.encoder.layer.0.intermediate.dense.weight"] = Tensor{{32, 32}, std::vector<float>(1024)};
        }), "model.safetensors", "tensor 'esm.encoder.layer.0.intermediate.dense.weight' has shape [32, 32], expected [64, 32]");
        row("inv_freq of another width", tensors([](auto& t) {
            t["esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq"] = Tensor{{8}, std::vector<float>(8)};
        }), "model.safetensors", "'esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq' has shape [8], expected [4]");
        row("no contact head", tensors([](auto& t) { t.erase("esm.contact_head.regression.bias"); }), "model.safetensors",
            "missing tensor 'esm.contact_head.regression.bias'");
    }
    void malformedEsm()
    {
        checkMalformed("proteins/esm_small/model");
    }
    void familyIsChosenByTheTable_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no family") << Edit([](auto d) { editConfig(d, [](auto& j) { j.erase("family"); }); }) << QString("config.json")
                                   << QString("missing key 'family' (one of \"torch_encoder\", \"bert\", \"dnabert2\", \"ct_encoder\", \"msa_transformer\", "
                                              "\"esm\", \"ehr_encoder\", \"monai_vit\", \"monai_unetr\"), Hugging Face 'model_type' (one of \"bert\", \"esm\") or an 'auto_map' "
                                              "naming a module of \"bert_layers\", \"modeling_esm\"");
        QTest::newRow("family as number") << Edit([](auto d) { editConfig(d, [](auto& j) { j["family"] = 3; }); })
                                          << QString("config.json") << QString("'family' must be a string");
        QTest::newRow("unknown model_type") << Edit([](auto d) { editConfig(d, [](auto& j) { j.erase("family"); j["model_type"] = "gpt2"; }); })
                                            << QString("config.json") << QString("'model_type' is \"gpt2\"; supported: \"bert\", \"esm\"");
    }
    void familyIsChosenByTheTable()
    {
        checkMalformed("ct");
    }
    void oneFamilyAskedForAnother()
    {
        const auto ct = thrownMessage<FormatError>([] { loadModel(goldenDir("ct")); });
        QVERIFY2(ct && ct->find("a ct_encoder model, not a sequence model") != std::string::npos, ct ? ct->c_str() : "");
        const auto seq = thrownMessage<FormatError>([] { loadCtModel(goldenDir("preln_gelu")); });
        QVERIFY2(seq && seq->find("a torch_encoder model, not a CT model") != std::string::npos, seq ? seq->c_str() : "");
    }
    void describesEveryFamily_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("ownKey");
        QTest::newRow("torch_encoder") << "preln_gelu" << "torch_encoder" << "vocab_size";
        QTest::newRow("bert") << "bert_kmer3" << "bert" << "tokenizer";
        QTest::newRow("ct_encoder") << "ct" << "ct_encoder" << "token_grid";
        QTest::newRow("msa_transformer") << "proteins/msa_small/model" << "msa_transformer" << "max_sequences";
        QTest::newRow("esm") << "proteins/esm_small/model" << "esm" << "max_residues";
        QTest::newRow("ehr_encoder") << "ehr" << "ehr_encoder" << "max_events";
        QTest::newRow("monai_vit") << "monai/vit_conv" << "monai_vit" << "post_activation";
        QTest::newRow("monai_unetr") << "monai/unetr_conv" << "monai_unetr" << "out_channels";
    }
    void describesEveryFamily()
    {
        QFETCH(QString, golden);
        QFETCH(QString, family);
        QFETCH(QString, ownKey);
        const auto model = loadModelPath(goldenDir(golden.toStdString()));
        const auto info = nlohmann::json::parse(describeModel(*model, "somewhere"));
        QCOMPARE(QString::fromStdString(info.at("family").get<std::string>()), family);
        QCOMPARE(info.at("path").get<std::string>(), std::string("somewhere"));
        QCOMPARE(info.at("parameters").get<std::int64_t>(), model->weights().parameterCount());
        QCOMPARE(info.at("n_layers").get<int>(), model->encoderConfig().nLayers);
        QVERIFY(info.contains(ownKey.toStdString()));
    }
    void notADirectory()
    {
        const auto msg = thrownMessage<FormatError>([] { loadModel(goldenDir("preln_gelu") / "config.json"); });
        QVERIFY(msg && msg->find("config.json: not a model (expected a folder with config.json") != std::string::npos);
        const auto missing = thrownMessage<IoError>([] { loadModel(goldenDir("preln_gelu") / "nothing-here"); });
        QVERIFY(missing && missing->find("nothing-here: not a model directory") != std::string::npos);
    }
    void rejectsBadIds()
    {
        const auto model = loadModel(goldenDir("postln_relu"));
        QVERIFY(thrownMessage<ShapeError>([&] { model->run({1, 99}, {}, {}); })->find("outside the vocabulary") != std::string::npos);
        QVERIFY(thrownMessage<ShapeError>([&] { model->run(std::vector<int>(65, 3), {}, {}); })->find("at most 64") != std::string::npos);
        QVERIFY(thrownMessage<ShapeError>([&] { model->run({1, 3}, {false}, {}); }).has_value());
        QVERIFY(thrownMessage<ShapeError>([&] { model->run({}, {}, {}); }).has_value());
    }
};

QTEST_GUILESS_MAIN(TestModelLoading)
#include "TestModelLoading.moc"
