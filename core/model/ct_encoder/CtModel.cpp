#include "model/ct_encoder/CtModel.h"

#include "model/RunMemory.h"

#include "model/ModelFamily.h"
#include "model/ModelFamilyTable.h"
#include "tensor/Ops.h"
#include "util/Error.h"
#include "volume/Resample.h"

#include <algorithm>

namespace attn {
namespace {

std::string stagePrefix(std::size_t i)
{
    return "stem." + std::to_string(i) + ".";
}

} // namespace

std::array<int, 3> CtConfig::tokenGrid() const
{
    std::array<int, 3> g = inputSize;
    for (const StemStage& s : stem)
        for (int& n : g)
            n = convOutputSize(n, s.kernel, s.stride, s.padding);
    return g;
}

int CtConfig::tokens() const
{
    const auto g = tokenGrid();
    return 1 + g[0] * g[1] * g[2];
}

TokenGeometry CtConfig::tokenGeometry() const
{
    // Output index o of a stage reads inputs o * s - p ... o * s - p + k - 1 (centre o * s - p + (k - 1) / 2).
    TokenGeometry t;
    for (const StemStage& s : stem) {
        t.offset += t.stride * (static_cast<double>(s.kernel - 1) / 2.0 - s.padding);
        t.extent += (s.kernel - 1) * t.stride;
        t.stride *= s.stride;
    }
    return t;
}

namespace {

/// Reads and validates a ct_encoder config.json; errors name the file and the key.
CtConfig readCtConfig(const ConfigReader& r)
{
    const std::string& where = r.where();
    CtConfig c;
    const auto size = r.positiveInts("input_size", 3, "x, y, z");
    c.inputSize = {size[0], size[1], size[2]};
    if (r.has("hu_window")) {
        const auto hu = r.numbers("hu_window", 2, "low, high HU");
        c.huWindow = {hu[0], hu[1]};
        check<FormatError>(c.huWindow[1] > c.huWindow[0], where + ": 'hu_window' must be [low, high] with low < high");
    }
    const nlohmann::json& stages = r.value("stem");
    check<FormatError>(stages.is_array() && !stages.empty(), where + ": 'stem' must be a non-empty list of stages");
    for (const nlohmann::json& stage : stages) {
        const std::string at = where + ": stem stage " + std::to_string(c.stem.size());
        check<FormatError>(stage.is_object(), at + " must be an object");
        const ConfigReader s(stage, at);
        c.stem.push_back({s.positiveInt("channels"), s.positiveInt("kernel"), s.positiveInt("stride"), s.nonNegativeIntOr("padding", 0)});
    }
    c.batchNormEps = r.numberOr("batch_norm_eps", 1e-5f);
    c.encoder = readEncoderStack(r, "ct_encoder");
    ModelConfig& e = c.encoder;
    e.positional = Positional::Learned;
    const auto g = c.tokenGrid();
    check<FormatError>(g[0] > 0 && g[1] > 0 && g[2] > 0, where + ": the stem reduces the input grid to nothing");
    e.maxLen = c.tokens();
    return c;
}

void describeCtModel(const Model& model, nlohmann::json& info)
{
    const CtConfig& c = dynamic_cast<const CtModel&>(model).config();
    info["input_size"] = c.inputSize;
    info["token_grid"] = c.tokenGrid();
    info["tokens"] = c.tokens();
    info["hu_window"] = c.huWindow;
    nlohmann::json stem = nlohmann::json::array();
    for (const StemStage& s : c.stem)
        stem.push_back({{"channels", s.channels}, {"kernel", s.kernel}, {"stride", s.stride}, {"padding", s.padding}});
    info["stem"] = stem;
}

} // namespace

CtModel::CtModel(CtConfig config, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), weights_(std::move(weights)),
      classifierW_(weights_->get("classifier.weight", {config_.encoder.numLabels(), config_.encoder.dModel}).matrix()),
      classifierB_(weights_->get("classifier.bias", {config_.encoder.numLabels()}).vector())
{
    const ModelConfig& e = config_.encoder;
    const Weights& w = *weights_;
    int in = 1;
    for (std::size_t i = 0; i < config_.stem.size(); ++i) {
        const StemStage& s = config_.stem[i];
        const std::string p = stagePrefix(i);
        stem_.push_back({&w.get(p + "conv.weight", {s.channels, in, s.kernel, s.kernel, s.kernel}), &w.get(p + "conv.bias", {s.channels}),
                         &w.get(p + "norm.weight", {s.channels}), &w.get(p + "norm.bias", {s.channels}),
                         &w.get(p + "norm.running_mean", {s.channels}), &w.get(p + "norm.running_var", {s.channels})});
        in = s.channels;
    }
    projWeight_ = &w.get("proj.weight", {e.dModel, in, 1, 1, 1});
    projBias_ = &w.get("proj.bias", {e.dModel});
    clsToken_ = &w.get("cls_token", {1, 1, e.dModel});
    posEmbed_ = &w.get("pos_embed", {1, config_.tokens(), e.dModel});
    if (e.finalNorm)
        finalNorm_ = readNorm(w, "encoder.norm", e.dModel);
    for (int l = 0; l < e.nLayers; ++l)
        layers_.emplace_back(w, "encoder.layers." + std::to_string(l) + ".", e);
}

Grid CtModel::prepare(const Volume& study, VolumeGeometry* inputGeometry) const
{
    const Volume r = resampleTrilinear(study, config_.inputSize);
    if (inputGeometry)
        *inputGeometry = r.geometry;
    Grid g;
    g.channels = 1;
    g.size = {config_.inputSize[2], config_.inputSize[1], config_.inputSize[0]}; // depth, height, width
    g.data.resize(r.values.size());
    const float lo = config_.huWindow[0], span = config_.huWindow[1] - config_.huWindow[0];
    std::transform(r.values.begin(), r.values.end(), g.data.begin(),
                   [&](float hu) { return std::clamp((hu - lo) / span, 0.0f, 1.0f); });
    return g;
}

Matrix CtModel::tokens(const Grid& input) const
{
    Grid x = input;
    for (std::size_t i = 0; i < stem_.size(); ++i) {
        const StemStage& s = config_.stem[i];
        const BoundStage& b = stem_[i];
        x = conv3d(x, *b.convWeight, b.convBias, s.stride, s.padding);
        batchNorm3d(x, *b.gamma, *b.beta, *b.mean, *b.var, config_.batchNormEps);
        relu(x);
    }
    const int d = config_.encoder.dModel;
    x = conv3d(x, *projWeight_, projBias_, 1, 0);
    const auto n = static_cast<Index>(x.positions());
    Matrix t(n + 1, d); // [CLS], then the grid positions (z, y, x order), plus positions
    t.row(0) = Eigen::Map<const RowVector>(clsToken_->data.data(), d);
    t.bottomRows(n) = Eigen::Map<const Matrix>(x.data.data(), d, n).transpose();
    t += Eigen::Map<const Matrix>(posEmbed_->data.data(), n + 1, d);
    return t;
}

PatchLayout CtModel::patchLayout() const
{
    const TokenGeometry t = config_.tokenGeometry();
    return {config_.tokenGrid(), {t, t, t}, true, 1};
}

std::vector<std::string> CtModel::preprocessing() const
{
    const auto& n = config_.inputSize;
    return {"resampled to " + std::to_string(n[0]) + " x " + std::to_string(n[1]) + " x " + std::to_string(n[2])
                + " voxels (trilinear, the study's extent kept)",
            "HU window [" + std::to_string(static_cast<int>(config_.huWindow[0])) + ", " + std::to_string(static_cast<int>(config_.huWindow[1]))
                + "] mapped to [0, 1], clamped"};
}

VolumeInput CtModel::prepareInput(const Volume& study, const RegionRequest&, const Progress*) const
{
    VolumeInput in;
    in.grid = prepare(study, &in.geometry);
    in.steps = preprocessing();
    return in;
}

VolumeRun CtModel::runInput(const VolumeInput& input, const RegionRequest&, const RunOptions& options) const
{
    return {run(input.grid, options), std::nullopt};
}

void CtModel::planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest&, const VolumeGeometry&) const
{
    planRun(plan, store);
}

void CtModel::planRun(MemoryPlan& plan, const StorePlan& store) const
{
    const auto& in = config_.inputSize;
    std::array<std::size_t, 3> size{static_cast<std::size_t>(in[0]), static_cast<std::size_t>(in[1]), static_cast<std::size_t>(in[2])};
    const std::size_t inputVoxels = size[0] * size[1] * size[2];
    plan.add("model input", inputVoxels * sizeof(float));
    // The stem's peak: one stage's input, its im2col matrix (channels x kernel^3 per output
    // voxel) and its output, all float.
    std::size_t channels = 1, voxels = inputVoxels, peak = 0;
    for (const StemStage& s : config_.stem) {
        for (std::size_t& a : size)
            a = (a + 2 * static_cast<std::size_t>(s.padding) - static_cast<std::size_t>(s.kernel)) / static_cast<std::size_t>(s.stride) + 1;
        const std::size_t out = size[0] * size[1] * size[2];
        const std::size_t k3 = static_cast<std::size_t>(s.kernel) * static_cast<std::size_t>(s.kernel) * static_cast<std::size_t>(s.kernel);
        peak = std::max(peak, voxels * channels + out * channels * k3 + out * static_cast<std::size_t>(s.channels));
        channels = static_cast<std::size_t>(s.channels);
        voxels = out;
    }
    plan.add("convolution stem", peak * sizeof(float));
    planEncoderRun(plan, config_.encoder, config_.tokens(), store);
}

RunResult CtModel::run(const Grid& input, const RunOptions& options) const
{
    MemoryPlan plan("the CT model's run");
    planRun(plan, options.store);
    plan.check(options.store.budgetBytes); // before the stem allocates anything
    check<ShapeError>(input.channels == 1 && input.size == std::array<int, 3>{config_.inputSize[2], config_.inputSize[1], config_.inputSize[0]},
                      "the CT model takes a one-channel " + std::to_string(config_.inputSize[0]) + " x "
                          + std::to_string(config_.inputSize[1]) + " x " + std::to_string(config_.inputSize[2]) + " grid");
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    progress.step(0, config_.encoder.nLayers + 1, "convolutional stem");
    return encodeAndClassify(config_.tokens(), [&] { return tokens(input); }, layers_, config_.encoder, finalNorm_, classifierW_, classifierB_, options, 1);
}

std::shared_ptr<const CtModel> loadCtModel(const std::filesystem::path& directory)
{
    return modelAs<CtModel>(loadModelPath(directory), directory.string(), "a CT model (ct_encoder)");
}

ModelFamilyEntry ctEncoderFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        CtConfig c = readCtConfig(config);
        auto weights = source.takeWeights();
        return std::make_shared<const CtModel>(std::move(c), std::move(weights));
    };
    return {"ct_encoder", "", load, describeCtModel, {}};
}

} // namespace attn
