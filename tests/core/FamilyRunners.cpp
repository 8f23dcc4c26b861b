#include "FamilyRunners.h"

#include "ehr/EventReader.h"
#include "model/ModelFamily.h"
#include "model/ct_encoder/CtModel.h"
#include "model/ehr_encoder/EhrModel.h"
#include "model/esm/EsmModel.h"
#include "model/monai_unetr/Unetr.h"
#include "model/monai_vit/MonaiVit.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "model/torch_encoder/EncoderModel.h"
#include "msa/MsaReader.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <map>

namespace attn::test {

Grid gridOf(const Tensor& t)
{
    Grid g;
    const bool channels = t.shape.size() == 4;
    g.channels = channels ? static_cast<int>(t.shape[0]) : 1;
    const std::size_t o = channels ? 1 : 0;
    g.size = {static_cast<int>(t.shape[o]), static_cast<int>(t.shape[o + 1]), static_cast<int>(t.shape[o + 2])};
    g.data = t.data;
    return g;
}

namespace {

std::vector<float> flat(const Matrix& m)
{
    return {m.data(), m.data() + m.size()};
}

Runner encoderRunner(const std::string& name)
{
    const auto dir = goldenDir(name);
    const auto input = nlohmann::json::parse(readText(dir / "input.json"));
    return [model = loadModel(dir), ids = input.at("ids").get<std::vector<int>>(),
            padding = input.at("key_padding").get<std::vector<bool>>()](const RunOptions& o) {
        RunResult r = model->run(ids, padding, o);
        return FamilyRun{{r.logits.data(), r.logits.data() + r.logits.size()}, std::move(r.attention), {}};
    };
}

Runner sequenceRunner(const std::filesystem::path& dir, std::vector<int> ids)
{
    return [model = modelAs<SequenceModel>(loadModelPath(dir / "model"), dir.string(), "a sequence model"), ids](const RunOptions& o) {
        SequenceRun r = model->run(ids, o);
        return FamilyRun{flat(r.logits), std::move(r.result.attention), {}};
    };
}

Runner tokensJsonRunner(const std::string& name, bool list)
{
    const auto dir = goldenDir("sequence") / name;
    const auto tokens = nlohmann::json::parse(readText(dir / "tokens.json"));
    return sequenceRunner(dir, (list ? tokens.at(0) : tokens).at("ids").get<std::vector<int>>());
}

Runner esmRunner()
{
    const auto dir = goldenDir("proteins") / "esm_small";
    const auto model = modelAs<EsmModel>(loadModelPath(dir / "model"), "model", "esm");
    return sequenceRunner(dir, model->tokenize(readMsa(dir / "input.fasta").rows.front().residues));
}

Runner msaRunner()
{
    const auto dir = goldenDir("proteins") / "msa_small";
    const auto model = modelAs<MsaTransformer>(loadModelPath(dir / "model"), "model", "msa_transformer");
    const Msa msa = readMsa(dir / "input.a3m");
    return [model, tokens = model->tokenize(msa, nullptr), rows = static_cast<Index>(msa.sequences())](const RunOptions& o) {
        SequenceRun r = model->run(tokens, rows, o);
        return FamilyRun{flat(r.logits), std::move(r.result.attention), std::move(r.columnAttention)};
    };
}

Runner ctRunner()
{
    const auto dir = goldenDir("ct");
    return [model = loadCtModel(dir), input = gridOf(readNpy(dir / "input.npy"))](const RunOptions& o) {
        RunResult r = model->run(input, o);
        return FamilyRun{{r.logits.data(), r.logits.data() + r.logits.size()}, std::move(r.attention), {}};
    };
}

Runner ehrRunner()
{
    const auto dir = goldenDir("ehr");
    const auto model = loadEhrModel(dir);
    return [model, tokens = tokenizeEvents(model->config(), readEvents(dir / "events.csv").table.events)](const RunOptions& o) {
        RunResult r = model->run(tokens, o);
        return FamilyRun{{r.logits.data(), r.logits.data() + r.logits.size()}, std::move(r.attention), {}};
    };
}

Runner monaiRunner(const std::string& name)
{
    const auto dir = goldenDir("monai") / name;
    const Grid region = gridOf(readNpy(dir / "input.npy"));
    const auto model = loadModelPath(dir);
    if (const auto vit = std::dynamic_pointer_cast<const MonaiVit>(model))
        return [vit, region](const RunOptions& o) {
            RunResult r = vit->run(region, o);
            return FamilyRun{{r.logits.data(), r.logits.data() + r.logits.size()}, std::move(r.attention), {}};
        };
    return [unetr = modelAs<Unetr>(model, dir.string(), "a MONAI UNETR"), region](const RunOptions& o) {
        UnetrRun r = unetr->run(region, o);
        return FamilyRun{std::move(r.segmentation.data), std::move(r.encoder.attention), {}};
    };
}

/// The family each folder of tests/data/golden/interventions holds, and how to run it.
} // namespace

Runner runnerFor(const std::string& family)
{
    static const std::map<std::string, std::function<Runner()>> table{
        {"torch_encoder_preln", [] { return encoderRunner("preln_gelu"); }},
        {"torch_encoder_postln_padded", [] { return encoderRunner("postln_relu_padded"); }},
        {"bert", [] { return encoderRunner("bert_kmer3"); }},
        {"ct_encoder", ctRunner},
        {"ehr_encoder", ehrRunner},
        {"esm", esmRunner},
        {"nucleotide_transformer_v2", [] { return tokensJsonRunner("nt_v2", false); }},
        {"protbert", [] { return tokensJsonRunner("protbert", false); }},
        {"dnabert2", [] { return tokensJsonRunner("dnabert2", true); }},
        {"msa_transformer", msaRunner},
        {"monai_vit", [] { return monaiRunner("vit_conv"); }},
        {"monai_unetr", [] { return monaiRunner("unetr_conv"); }},
    };
    return table.at(family)();
}

} // namespace attn::test
