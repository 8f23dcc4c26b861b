// PyTorch checkpoints read without running anything: the golden torch_encoder models saved by
// torch.save in every way tools/make_checkpoint_golden.py writes (tests/data/checkpoints) run to
// exactly what their model.safetensors gives; hostile and malformed files are refused by name.

#include "checkpoint/ModelWeights.h"
#include "checkpoint/TorchCheckpoint.h"
#include "checkpoint/Unpickler.h"
#include "io/BinaryFile.h"
#include "model/torch_encoder/EncoderModel.h"
#include "model/esm/EsmModel.h"
#include "model/ModelFamily.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "model/fairesm/FairEsmNames.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>
#include <zip.h>

#include <algorithm>
#include <cstring>

using namespace attn;
using namespace attn::test;

namespace {

using Kind = PickleValue::Kind;

const char* kMarker = "/tmp/attnscope-hostile-pickle-ran"; // what the hostile pickles would create

std::filesystem::path checkpointDir(const std::string& name)
{
    return dataDir() / "checkpoints" / name;
}

// --- a tiny pickle assembler (protocol 2) for the malformed rows ---
std::string le32(std::uint32_t v)
{
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i)
        s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}
std::string text(const std::string& s) { return "X" + le32(static_cast<std::uint32_t>(s.size())) + s; }
std::string integer(std::int32_t v) { return "J" + le32(static_cast<std::uint32_t>(v)); }
std::string ints(const std::vector<std::int32_t>& v)
{
    std::string s = "(";
    for (auto x : v)
        s += integer(x);
    return s + "t";
}

/// A pickle of {"w": tensor over storage KEY of NUMEL floats at OFFSET with SIZE and STRIDE}.
std::string tensorPickle(const std::string& key, int numel, int offset, const std::vector<std::int32_t>& size,
                         const std::vector<std::int32_t>& stride)
{
    const std::string storage = "(" + text("storage") + "ctorch\nFloatStorage\n" + text(key) + text("cpu") + integer(numel) + "tQ";
    const std::string tensor = "ctorch._utils\n_rebuild_tensor_v2\n(" + storage + integer(offset) + ints(size) + ints(stride)
                               + "\x89" + "ccollections\nOrderedDict\n)Rt" + "R";
    return std::string("\x80\x02}(") + text("w") + tensor + "u.";
}

/// Writes a zip archive of (name, bytes) entries, stored as torch.save stores them.
void writeZip(const std::filesystem::path& path, const std::vector<std::pair<std::string, std::string>>& entries)
{
    int error = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(z);
    for (const auto& [name, bytes] : entries) {
        zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        QVERIFY(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE) >= 0);
    }
    QCOMPARE(zip_close(z), 0); // the buffers are read here, while `entries` lives
}

std::string floats(int n)
{
    std::string s(static_cast<std::size_t>(n) * 4, '\0');
    for (int i = 0; i < n; ++i) {
        const float f = static_cast<float>(i) + 0.5f;
        std::memcpy(s.data() + i * 4, &f, 4);
    }
    return s;
}

/// The error message reading `path` as a state dict gives, or "" when it reads.
std::string readError(const std::filesystem::path& path)
{
    return thrownMessage<FormatError>([&] { (void)readTorchStateDict(path); }).value_or("");
}

RunResult runGolden(const std::filesystem::path& dir, const std::filesystem::path& inputDir)
{
    const auto j = nlohmann::json::parse(readText(inputDir / "input.json"));
    return loadModel(dir)->run(j.at("ids").get<std::vector<int>>(), j.at("key_padding").get<std::vector<bool>>(), {});
}

} // namespace

class TestCheckpoints : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::filesystem::path scratch(const std::string& name) const { return std::filesystem::path(tmp_.path().toStdString()) / name; }

private slots:
    void runsAsItsSafetensorsSource_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("source");
        for (const char* c : {"pt_zip", "bin_strided", "pt_wrapped", "sharded_bin", "sharded_st", "f64"})
            QTest::newRow(c) << QString(c) << QString("preln_gelu");
        QTest::newRow("f16") << QString("f16") << QString("preln_gelu_f16");
        QTest::newRow("bf16") << QString("bf16") << QString("preln_gelu_bf16");
    }
    void runsAsItsSafetensorsSource()
    {
        QFETCH(QString, name);
        QFETCH(QString, source);
        const auto dir = checkpointDir(name.toStdString());
        const auto golden = goldenDir(source.toStdString());
        const ModelWeights a = readModelWeights(dir), b = readModelWeights(golden);
        QCOMPARE(a.tensors.size(), b.tensors.size()); // position_ids (int64) checked and left out
        for (const auto& [tensorName, t] : b.tensors) {
            QVERIFY2(a.tensors.count(tensorName), tensorName.c_str());
            QCOMPARE(a.tensors.at(tensorName).shape, t.shape);
            QVERIFY2(a.tensors.at(tensorName).data == t.data, tensorName.c_str()); // bit for bit, strides and offsets applied
        }
        const RunResult x = runGolden(dir, golden), y = runGolden(golden, golden);
        QCOMPARE(x.logits, y.logits);
        QVERIFY(x.hidden == y.hidden);
        QVERIFY(a.source.find(dir.string()) == 0);
    }
    void namespaceAndPlainValuesAreRecords()
    {
        const TorchCheckpoint c(checkpointDir("pt_wrapped") / "checkpoint.pth");
        const PickleGraph& g = c.graph();
        const auto args = g.field(g.root(), "args");
        QVERIFY(args && g.is(*args, Kind::Record));
        QCOMPARE(g.at(*args).text, std::string("argparse.Namespace"));
        QCOMPARE(g.at(*g.field(*args, "arch")).text, std::string("toy"));
        QCOMPARE(g.at(*g.field(*args, "layers")).number, std::int64_t{3});
        QCOMPARE(g.at(*g.field(*args, "dropout")).real, 0.1);
        QVERIFY(g.is(*g.field(*args, "tied"), Kind::Bool) && g.at(*g.field(*args, "tied")).number == 1);
        QVERIFY(g.is(*g.field(*args, "extra"), Kind::None));
        QCOMPARE(g.at(*g.field(g.root(), "big")).number, std::int64_t{1} << 40);
        QCOMPARE(g.at(*g.field(g.root(), "lr")).real, 1e-4);
        const PickleValue& history = g.at(*g.field(g.root(), "history"));
        QCOMPARE(history.items.size(), std::size_t{3});
        QCOMPARE(g.at(history.items[1]).number, std::int64_t{-2});
        QVERIFY(g.is(history.items[2], Kind::Tuple));
        QCOMPARE(c.stateDict(), *g.field(g.root(), "model"));
    }
    void refusedByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hostile os.system") << "hostile" << "refuses the pickled global 'posix.system'";
        QTest::newRow("hostile eval, protocol 4") << "hostile_eval" << "refuses the pickled global 'builtins.eval'";
        QTest::newRow("a whole module") << "whole_module" << "refuses the pickled global 'torch.nn.modules.transformer.TransformerEncoderLayer'";
        QTest::newRow("legacy format") << "legacy" << "legacy format (before PyTorch 1.6), which attnscope does not read; re-save it";
    }
    void refusedByName()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        std::filesystem::remove(kMarker);
        const auto file = checkpointDir(name.toStdString()) / "model.pt";
        const std::string message = readError(file);
        QVERIFY2(message.find(file.string()) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
        QVERIFY_THROWS_EXCEPTION(FormatError, loadModel(checkpointDir(name.toStdString())));
        QVERIFY2(!std::filesystem::exists(kMarker), "the pickle's command ran");
    }
    void malformedFilesAreRefused_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("expected");
        const char* rows[] = {"not a PyTorch checkpoint", "without the data.pkl", "ends without STOP", "opcode 0x49",
                              "memo entry 5, which it never stored", "takes more from its stack", "needs the missing entry 'a/data/7'",
                              "fewer than the 12 bytes", "reaches element 4 of a storage of 3", "is negative", "a big-endian checkpoint",
                              "holds no state dict", "not a readable zip archive", "expanded views are not read", "pickle protocol 1",
                              "not a plain name"};
        for (int i = 0; i < static_cast<int>(std::size(rows)); ++i)
            QTest::addRow("%s", rows[i]) << i << QString(rows[i]);
    }
    void malformedFilesAreRefused()
    {
        QFETCH(int, row);
        QFETCH(QString, expected);
        const auto file = scratch("bad" + std::to_string(row) + ".pt");
        const std::string ok = tensorPickle("0", 3, 0, {3}, {1});
        switch (row) {
        case 0: writeBinaryFile(file, "just some bytes, not a zip"); break;
        case 1: writeZip(file, {{"a/version", "3\n"}}); break;
        case 2: writeZip(file, {{"a/data.pkl", "\x80\x02}"}}); break;
        case 3: writeZip(file, {{"a/data.pkl", "\x80\x02I1\n."}}); break;
        case 4: writeZip(file, {{"a/data.pkl", "\x80\x02h\x05."}}); break;
        case 5: writeZip(file, {{"a/data.pkl", "\x80\x02s."}}); break;
        case 6: writeZip(file, {{"a/data.pkl", tensorPickle("7", 3, 0, {3}, {1})}}); break;
        case 7: writeZip(file, {{"a/data.pkl", ok}, {"a/data/0", floats(2)}}); break;
        case 8: writeZip(file, {{"a/data.pkl", tensorPickle("0", 3, 2, {3}, {1})}, {"a/data/0", floats(3)}}); break;
        case 9: writeZip(file, {{"a/data.pkl", tensorPickle("0", 3, 0, {-3}, {1})}, {"a/data/0", floats(3)}}); break;
        case 10: writeZip(file, {{"a/data.pkl", ok}, {"a/data/0", floats(3)}, {"a/byteorder", "big"}}); break;
        case 11: writeZip(file, {{"a/data.pkl", std::string("\x80\x02]") + integer(4) + "a."}}); break;
        case 12: {
            writeZip(file, {{"a/data.pkl", ok}, {"a/data/0", floats(3)}});
            std::filesystem::resize_file(file, std::filesystem::file_size(file) - 30); // the central directory cut
            break;
        }
        case 13: writeZip(file, {{"a/data.pkl", tensorPickle("0", 3, 0, {2, 3}, {0, 1})}, {"a/data/0", floats(3)}}); break;
        case 14: writeZip(file, {{"a/data.pkl", "\x80\x01}."}}); break;
        case 15: writeZip(file, {{"a/data.pkl", tensorPickle("../../etc", 3, 0, {3}, {1})}}); break;
        }
        const std::string message = readError(file);
        QVERIFY2(message.find(file.string()) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }
    void aHandMadeCheckpointReads()
    {
        const auto file = scratch("good.pt");
        writeZip(file, {{"a/data.pkl", tensorPickle("0", 6, 1, {2, 2}, {1, 2})}, {"a/data/0", floats(6)}});
        const TensorMap t = readTorchStateDict(file);
        QCOMPARE(t.at("w").shape, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(t.at("w").data, (std::vector<float>{1.5f, 3.5f, 2.5f, 4.5f})); // offset 1, column-major strides
    }
    void deepNestingIsNoCrash()
    {
        const int depth = 200000; // lists in lists: the arena keeps destruction flat
        std::string p = "\x80\x02";
        for (int i = 0; i < depth; ++i)
            p += "]";
        for (int i = 1; i < depth; ++i)
            p += "a";
        p += ".";
        const PickleGraph g = unpickle(p, "nested");
        QVERIFY(g.is(g.root(), Kind::List));
        QCOMPARE(g.size(), static_cast<std::size_t>(depth));
    }
    void selfReferenceIsNoCycle()
    {
        // a list appended to itself through the memo, as pickle writes l = []; l.append(l)
        const PickleGraph g = unpickle(std::string("\x80\x02]q\x00h\x00" "a.", 9), "cycle");
        QCOMPARE(g.at(g.root()).items.size(), std::size_t{1});
        QCOMPARE(g.at(g.root()).items[0], g.root());
    }
    void fairEsmFilesOpenAsTheirFamily()
    {
        const auto dir = dataDir() / "checkpoints/fairesm";
        QVERIFY(isModelPath(dir / "esm2_t2_small.pt"));
        QVERIFY(!isModelPath(dir / "esm2_t2_small.pt.missing"));
        const auto esm2 = loadModelPath(dir / "esm2_t2_small.pt");
        QCOMPARE(esm2->family(), std::string("esm"));
        QCOMPARE(esm2->encoderConfig().positional, Positional::Rotary);
        QCOMPARE(esm2->encoderConfig().dimFeedforward, 64); // read off fc1: cfg does not say
        QCOMPARE(esm2->weights().source(), (dir / "esm2_t2_small.pt").string());
        const auto esm1b = std::dynamic_pointer_cast<const EsmModel>(loadModelPath(dir / "esm1b_t2_absolute.pt"));
        QVERIFY(esm1b && esm1b->options().absolute && esm1b->options().embedNorm && esm1b->options().tokenDropout);
        const Tensor& words = esm1b->weights().get("esm.embeddings.word_embeddings.weight", {33, esm1b->encoderConfig().dModel});
        const auto mask = static_cast<std::size_t>(esm1b->maskId()), d = static_cast<std::size_t>(esm1b->encoderConfig().dModel);
        QVERIFY(std::all_of(words.data.begin() + mask * d, words.data.begin() + (mask + 1) * d, [](float v) { return v == 0.0f; }));
        QVERIFY(std::any_of(words.data.begin(), words.data.begin() + d, [](float v) { return v != 0.0f; }));
        const auto msa = loadModelPath(dir / "esm_msa1b_t2_small.pt");
        QCOMPARE(msa->family(), std::string("msa_transformer"));
        QVERIFY(msa->weights().has("contact_head.regression.weight")); // from the file beside it
    }
    void fairEsmFilesThatCannotOpenSayWhy_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no regression beside it") << "fairesm/esm2_t2_noregression.pt" << "esm2_t2_noregression-contact-regression.pt is not beside it";
        QTest::newRow("a state dict alone") << "pt_zip/model.pt" << "without fair-esm's 'args' or cfg['model']";
        QTest::newRow("a hostile file") << "hostile/model.pt" << "refuses the pickled global 'posix.system'";
    }
    void fairEsmFilesThatCannotOpenSayWhy()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const auto path = dataDir() / "checkpoints" / file.toStdString();
        const auto message = thrownMessage<FormatError>([&] { (void)loadModelPath(path); });
        QVERIFY2(message.has_value(), "it opened");
        QVERIFY2(message->find(path.string()) == 0, message->c_str());
        QVERIFY2(QString::fromStdString(*message).contains(expected), message->c_str());
        QVERIFY(!std::filesystem::exists(kMarker));
    }
    void fairEsmRenaming()
    {
        using namespace attn::fairesm;
        QCOMPARE(upgradeV1("encoder.sentence_encoder.layers.3.fc1.weight"), std::string("layers.3.fc1.weight"));
        QCOMPARE(upgradeV1("encoder.lm_head.dense.bias"), std::string("lm_head.dense.bias"));
        QCOMPARE(upgradeV1("contact_head.regression.bias"), std::string("contact_head.regression.bias"));
        QCOMPARE(swapRowColumn("layers.0.row_self_attention.layer.q_proj.weight"), std::string("layers.0.column_self_attention.layer.q_proj.weight"));
        QCOMPARE(swapRowColumn("layers.0.column_self_attention.layer.q_proj.weight"), std::string("layers.0.row_self_attention.layer.q_proj.weight"));
        QCOMPARE(upgradeV2("encoder.sentence_encoder.embed_tokens.weight"), std::string("embed_tokens.weight"));
        QCOMPARE(upgradeV2("encoder.lm_head.weight"), std::string("lm_head.weight"));
        QCOMPARE(argumentName("encoder_ffn_embed_dim"), std::string("ffn_embed_dim"));
        QCOMPARE(argumentName("max_positions"), std::string("max_positions"));
        QCOMPARE(huggingFaceName("layers.12.self_attn.rot_emb.inv_freq"), std::string("esm.encoder.layer.12.attention.self.rotary_embeddings.inv_freq"));
        QCOMPARE(huggingFaceName("layers.0.final_layer_norm.bias"), std::string("esm.encoder.layer.0.LayerNorm.bias"));
        QCOMPARE(huggingFaceName("lm_head.weight"), std::string("lm_head.decoder.weight"));
        QCOMPARE(huggingFaceName("emb_layer_norm_before.weight"), std::string("esm.embeddings.layer_norm.weight"));
        QCOMPARE(huggingFaceName("layers.0.self_attn.bias_k"), std::string());
    }
    void weightFilesOfADirectory()
    {
        const auto dir = scratch("two");
        std::filesystem::create_directories(dir);
        std::filesystem::copy_file(checkpointDir("pt_zip") / "model.pt", dir / "a.pt");
        std::filesystem::copy_file(checkpointDir("pt_zip") / "model.pt", dir / "b.pth");
        QVERIFY_THROWS_EXCEPTION(FormatError, readModelWeights(dir));
        std::filesystem::remove(dir / "b.pth");
        std::filesystem::copy_file(checkpointDir("pt_zip") / "model.pt", dir / "a-contact-regression.pt"); // fair-esm's, not a model
        QCOMPARE(readModelWeights(dir).source, (dir / "a.pt").string());
        const auto empty = scratch("empty");
        std::filesystem::create_directories(empty);
        const auto message = thrownMessage<FormatError>([&] { (void)readModelWeights(empty); });
        QVERIFY2(message.has_value(), "an empty folder read");
        QVERIFY2(message->find("no weights (expected model.safetensors, pytorch_model.bin") != std::string::npos, message->c_str());
        const auto shards = scratch("shards");
        std::filesystem::create_directories(shards);
        writeBinaryFile(shards / "model.safetensors.index.json", R"({"weight_map": {"w": "../model.safetensors"}})");
        QVERIFY_THROWS_EXCEPTION(FormatError, readModelWeights(shards));
        writeBinaryFile(shards / "model.safetensors.index.json", R"({"weight_map": {"w": "missing.safetensors"}})");
        QVERIFY_THROWS_EXCEPTION(FormatError, readModelWeights(shards));
    }
};

QTEST_GUILESS_MAIN(TestCheckpoints)
#include "TestCheckpoints.moc"
