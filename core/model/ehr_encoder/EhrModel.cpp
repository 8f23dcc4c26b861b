#include "model/ehr_encoder/EhrModel.h"

#include "model/ConfigReader.h"
#include "model/ModelFamily.h"
#include "model/ModelFamilyTable.h"
#include "model/RunMemory.h"
#include "model/WeightViews.h"
#include "tensor/Ops.h"
#include "util/Error.h"

#include <set>

namespace attn {
namespace {

/// codes: [PAD], [CLS], [UNK] at 0, 1, 2, then distinct codes.
std::vector<std::string> readCodes(const ConfigReader& r)
{
    std::vector<std::string> codes = r.strings("codes");
    const std::string& where = r.where();
    check<FormatError>(codes.size() >= 3 && codes[0] == "[PAD]" && codes[1] == "[CLS]" && codes[2] == "[UNK]",
                       where + ": 'codes' must start with \"[PAD]\", \"[CLS]\", \"[UNK]\" (ids 0, 1, 2)");
    std::set<std::string> seen;
    for (const std::string& c : codes)
        check<FormatError>(seen.insert(c).second, where + ": 'codes' lists \"" + c + "\" twice");
    return codes;
}

/// value_stats: {code: [mean, std]} with std > 0.
std::map<std::string, std::array<double, 2>> readValueStats(const ConfigReader& r)
{
    std::map<std::string, std::array<double, 2>> stats;
    if (!r.has("value_stats"))
        return stats;
    const ConfigReader s = r.object("value_stats");
    for (const auto& [code, v] : s.raw().items()) {
        const std::string at = s.where() + ": \"" + code + "\"";
        check<FormatError>(v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number(), at + " must be [mean, std]");
        const double mean = v[0].get<double>(), sd = v[1].get<double>();
        check<FormatError>(std::isfinite(mean) && std::isfinite(sd) && sd > 0, at + ": the mean must be finite and the std positive");
        stats[code] = {mean, sd};
    }
    return stats;
}

EhrConfig readEhrConfig(const ConfigReader& r)
{
    EhrConfig c;
    c.encoder = readEncoderStack(r, "ehr_encoder");
    c.codes = readCodes(r);
    c.indexCodes();
    c.cveHidden = r.positiveInt("cve_hidden");
    c.timeScaleDays = r.real("time_scale_days");
    check<FormatError>(c.timeScaleDays > 0, r.where() + ": 'time_scale_days' must be positive");
    c.maxEvents = r.positiveInt("max_events");
    c.valueStats = readValueStats(r);
    c.encoder.maxLen = c.maxEvents + 1;
    return c;
}

void describeEhrModel(const Model& model, nlohmann::json& info)
{
    const EhrConfig& c = dynamic_cast<const EhrModel&>(model).config();
    info["codes"] = c.codes.size();
    info["cve_hidden"] = c.cveHidden;
    info["time_scale_days"] = c.timeScaleDays;
    info["max_events"] = c.maxEvents;
    info["value_stats"] = c.valueStats.size();
}

} // namespace

EhrModel::EhrModel(EhrConfig config, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), weights_(std::move(weights)),
      codeEmbed_(matrixOf(*weights_, "code_embed.weight", static_cast<std::int64_t>(config_.codes.size()), config_.encoder.dModel)),
      timeCve_(bindCve("time_cve.")), valueCve_(bindCve("value_cve.")),
      classifierW_(matrixOf(*weights_, "classifier.weight", config_.encoder.numLabels(), config_.encoder.dModel)),
      classifierB_(vectorOf(*weights_, "classifier.bias", config_.encoder.numLabels()))
{
    const ModelConfig& e = config_.encoder;
    if (e.finalNorm)
        finalNorm_ = readNorm(*weights_, "encoder.norm", e.dModel);
    for (int l = 0; l < e.nLayers; ++l)
        layers_.emplace_back(*weights_, "encoder.layers." + std::to_string(l) + ".", e);
}

EhrModel::Cve EhrModel::bindCve(const std::string& prefix) const
{
    const int k = config_.cveHidden, d = config_.encoder.dModel;
    const Tensor& in = weights_->get(prefix + "0.weight", {k, 1});
    return {Eigen::Map<const Vector>(in.data.data(), k), vectorOf(*weights_, prefix + "0.bias", k),
            matrixOf(*weights_, prefix + "2.weight", d, k), vectorOf(*weights_, prefix + "2.bias", d)};
}

Matrix EhrModel::cve(const Cve& c, const std::vector<float>& x) const
{
    const auto n = static_cast<Index>(x.size()) - 1;
    Matrix hidden(n, config_.cveHidden);
    for (Index i = 0; i < n; ++i)
        hidden.row(i) = (x[static_cast<std::size_t>(i + 1)] * c.inW.transpose() + c.inB.transpose()).array().tanh();
    Matrix out = hidden * c.outW.transpose();
    out.rowwise() += c.outB.transpose();
    return out;
}

Matrix EhrModel::embed(const EhrTokens& tokens) const
{
    const Index n = tokens.size();
    Matrix x(n, config_.encoder.dModel);
    for (Index i = 0; i < n; ++i)
        x.row(i) = codeEmbed_.row(tokens.ids[static_cast<std::size_t>(i)]);
    if (n == 1)
        return x;
    Matrix events = cve(timeCve_, tokens.time);
    const Matrix values = cve(valueCve_, tokens.value);
    for (Index i = 0; i + 1 < n; ++i)
        events.row(i) += tokens.hasValue[static_cast<std::size_t>(i + 1)] * values.row(i); // as the reference: t + m v, then the code
    x.bottomRows(n - 1) += events;
    return x;
}

void EhrModel::planRun(MemoryPlan& plan, const StorePlan& store, Index tokens) const
{
    plan.add("event embeddings", 3 * static_cast<std::size_t>(tokens) * static_cast<std::size_t>(config_.encoder.dModel) * sizeof(float));
    planEncoderRun(plan, config_.encoder, tokens, store);
}

RunResult EhrModel::run(const EhrTokens& tokens, const RunOptions& options) const
{
    const ModelConfig& e = config_.encoder;
    check<ShapeError>(tokens.size() >= 1 && tokens.size() <= e.maxLen,
                      "the EHR model takes at most " + std::to_string(config_.maxEvents) + " events (max_events), not "
                          + std::to_string(tokens.size() - 1));
    for (const int id : tokens.ids)
        check<ShapeError>(id >= 0 && id < static_cast<int>(config_.codes.size()), "a token id is outside the model's codes");
    MemoryPlan plan("the EHR model's run");
    planRun(plan, options.store, tokens.size());
    plan.check(options.store.budgetBytes);
    RunResult r = encodeAndClassify(static_cast<Index>(tokens.size()), [&] { return embed(tokens); }, layers_, e, finalNorm_, classifierW_, classifierB_, options, 0);
    r.ids = tokens.ids;
    return r;
}

std::shared_ptr<const EhrModel> loadEhrModel(const std::filesystem::path& directory)
{
    return modelAs<EhrModel>(loadModelPath(directory), directory.string(), "an EHR model (ehr_encoder)");
}

ModelFamilyEntry ehrEncoderFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        EhrConfig c = readEhrConfig(config);
        auto weights = source.takeWeights();
        return std::make_shared<const EhrModel>(std::move(c), std::move(weights));
    };
    return {"ehr_encoder", "", load, describeEhrModel, {}};
}

} // namespace attn
