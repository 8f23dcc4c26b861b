#include "model/CtModel.h"

#include "io/BinaryFile.h"
#include "tensor/Ops.h"
#include "util/Error.h"
#include "volume/Resample.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace attn {
namespace {

using json = nlohmann::json;

int positiveInt(const json& j, const std::string& key, const std::string& where)
{
    check<FormatError>(j.contains(key), where + ": missing key '" + key + "'");
    const json& v = j.at(key);
    check<FormatError>(v.is_number_integer() && v.get<long long>() > 0 && v.get<long long>() < (1 << 24),
                       where + ": '" + key + "' must be a positive integer");
    return v.get<int>();
}

std::array<int, 3> triple(const json& j, const std::string& key, const std::string& where)
{
    check<FormatError>(j.contains(key) && j.at(key).is_array() && j.at(key).size() == 3,
                       where + ": '" + key + "' must be a list of three positive integers (x, y, z)");
    std::array<int, 3> out{};
    for (std::size_t i = 0; i < 3; ++i) {
        check<FormatError>(j.at(key)[i].is_number_integer() && j.at(key)[i].get<int>() > 0,
                           where + ": '" + key + "' must be a list of three positive integers (x, y, z)");
        out[i] = j.at(key)[i].get<int>();
    }
    return out;
}

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

CtConfig readCtConfig(const std::filesystem::path& path)
{
    const std::string where = path.string();
    json j;
    try {
        j = json::parse(readWholeFile(path));
    } catch (const json::parse_error& e) {
        throw FormatError(where + ": not valid JSON (" + e.what() + ")");
    }
    check<FormatError>(j.is_object() && j.value("family", "") == "ct_encoder", where + ": 'family' must be \"ct_encoder\"");
    CtConfig c;
    c.inputSize = triple(j, "input_size", where);
    if (j.contains("hu_window")) {
        check<FormatError>(j.at("hu_window").is_array() && j.at("hu_window").size() == 2, where + ": 'hu_window' must be [low, high]");
        c.huWindow = {j.at("hu_window")[0].get<float>(), j.at("hu_window")[1].get<float>()};
        check<FormatError>(c.huWindow[1] > c.huWindow[0], where + ": 'hu_window' must be [low, high] with low < high");
    }
    check<FormatError>(j.contains("stem") && j.at("stem").is_array() && !j.at("stem").empty(),
                       where + ": 'stem' must be a non-empty list of stages");
    for (const json& s : j.at("stem")) {
        const std::string at = where + ": stem stage " + std::to_string(c.stem.size());
        c.stem.push_back({positiveInt(s, "channels", at), positiveInt(s, "kernel", at), positiveInt(s, "stride", at),
                          s.value("padding", 0)});
    }
    c.batchNormEps = j.value("batch_norm_eps", 1e-5f);
    ModelConfig& e = c.encoder;
    e.family = "ct_encoder";
    e.dModel = positiveInt(j, "d_model", where);
    e.nHeads = positiveInt(j, "n_heads", where);
    e.nLayers = positiveInt(j, "n_layers", where);
    e.dimFeedforward = positiveInt(j, "dim_feedforward", where);
    const std::string act = j.value("activation", std::string("gelu"));
    check<FormatError>(act == "gelu" || act == "relu", where + ": 'activation' is \"" + act + "\"; expected \"relu\" or \"gelu\"");
    e.activation = act == "gelu" ? Activation::Gelu : Activation::Relu;
    e.normFirst = j.value("norm_first", true);
    e.layerNormEps = j.value("layer_norm_eps", 1e-5f);
    e.positional = Positional::Learned;
    e.finalNorm = j.value("final_norm", true);
    check<FormatError>(j.contains("labels") && j.at("labels").is_array() && !j.at("labels").empty(), where + ": missing key 'labels'");
    e.labels = j.at("labels").get<std::vector<std::string>>();
    check<FormatError>(e.dModel % e.nHeads == 0, where + ": d_model is not divisible by n_heads");
    const auto g = c.tokenGrid();
    check<FormatError>(g[0] > 0 && g[1] > 0 && g[2] > 0, where + ": the stem reduces the input grid to nothing");
    e.maxLen = c.tokens();
    return c;
}

CtModel::CtModel(CtConfig config, std::shared_ptr<const Weights> weights) : config_(std::move(config)), weights_(std::move(weights))
{
    const ModelConfig& e = config_.encoder;
    int in = 1;
    for (std::size_t i = 0; i < config_.stem.size(); ++i) { // validate every tensor now, not in a run
        const StemStage& s = config_.stem[i];
        const std::string p = stagePrefix(i);
        weights_->get(p + "conv.weight", {s.channels, in, s.kernel, s.kernel, s.kernel});
        weights_->get(p + "conv.bias", {s.channels});
        for (const char* n : {"norm.weight", "norm.bias", "norm.running_mean", "norm.running_var"})
            weights_->get(p + n, {s.channels});
        in = s.channels;
    }
    weights_->get("proj.weight", {e.dModel, in, 1, 1, 1});
    weights_->get("proj.bias", {e.dModel});
    weights_->get("cls_token", {1, 1, e.dModel});
    weights_->get("pos_embed", {1, config_.tokens(), e.dModel});
    weights_->get("classifier.weight", {e.numLabels(), e.dModel});
    weights_->get("classifier.bias", {e.numLabels()});
    if (e.finalNorm)
        readNorm(*weights_, "encoder.norm", e.dModel);
    for (int l = 0; l < e.nLayers; ++l)
        layers_.emplace_back(*weights_, "encoder.layers." + std::to_string(l) + ".", config_.encoder);
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
    for (std::size_t i = 0; i < config_.stem.size(); ++i) {
        const StemStage& s = config_.stem[i];
        const std::string p = stagePrefix(i);
        const Weights& w = *weights_;
        x = conv3d(x, w.get(p + "conv.weight", {s.channels, x.channels, s.kernel, s.kernel, s.kernel}),
                   w.get(p + "conv.bias", {s.channels}), s.stride, s.padding);
        batchNorm3d(x, w.get(p + "norm.weight", {s.channels}), w.get(p + "norm.bias", {s.channels}),
                    w.get(p + "norm.running_mean", {s.channels}), w.get(p + "norm.running_var", {s.channels}),
                    config_.batchNormEps);
        relu(x);
    }
    const int d = config_.encoder.dModel;
    x = conv3d(x, weights_->get("proj.weight", {d, x.channels, 1, 1, 1}), weights_->get("proj.bias", {d}), 1, 0);
    const auto n = static_cast<Index>(x.positions());
    Matrix t(n + 1, d); // [CLS], then the grid positions (z, y, x order), plus positions
    t.row(0) = Eigen::Map<const RowVector>(weights_->get("cls_token", {1, 1, d}).data.data(), d);
    t.bottomRows(n) = Eigen::Map<const Matrix>(x.data.data(), d, n).transpose();
    t += Eigen::Map<const Matrix>(weights_->get("pos_embed", {1, n + 1, d}).data.data(), n + 1, d);
    return t;
}

RunResult CtModel::run(const Grid& input, const RunOptions& options) const
{
    check<ShapeError>(input.channels == 1 && input.size == std::array<int, 3>{config_.inputSize[2], config_.inputSize[1], config_.inputSize[0]},
                      "the CT model takes a one-channel " + std::to_string(config_.inputSize[0]) + " x "
                          + std::to_string(config_.inputSize[1]) + " x " + std::to_string(config_.inputSize[2]) + " grid");
    const ModelConfig& e = config_.encoder;
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    progress.step(0, e.nLayers + 1, "convolutional stem");
    Matrix x = tokens(input);
    RunResult r{{}, {}, {}, {}, AttentionStore(e.nLayers, e.nHeads, x.rows(), options.store)};
    const AttentionMask mask{{}, false};
    for (int l = 0; l < e.nLayers; ++l) {
        progress.step(l + 1, e.nLayers + 1, "layer " + std::to_string(l + 1) + " of " + std::to_string(e.nLayers));
        layers_[static_cast<std::size_t>(l)].forward(x, mask, {&r.attention, l});
    }
    if (e.finalNorm) {
        const NormWeights n = readNorm(*weights_, "encoder.norm", e.dModel);
        layerNormRows(x, n.gamma, n.beta, e.layerNormEps);
    }
    const Tensor& w = weights_->get("classifier.weight", {e.numLabels(), e.dModel});
    const Tensor& b = weights_->get("classifier.bias", {e.numLabels()});
    r.logits = Eigen::Map<const Matrix>(w.data.data(), e.numLabels(), e.dModel) * x.row(0).transpose()
        + Eigen::Map<const Vector>(b.data.data(), e.numLabels());
    r.hidden = std::move(x);
    return r;
}

bool isCtModelDirectory(const std::filesystem::path& directory)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(directory / "config.json", ec))
        return false;
    const json j = json::parse(readWholeFile(directory / "config.json"), nullptr, false);
    return j.is_object() && j.value("family", "") == "ct_encoder";
}

std::shared_ptr<const CtModel> loadCtModel(const std::filesystem::path& directory)
{
    std::error_code ec;
    check<IoError>(std::filesystem::is_directory(directory, ec),
                   directory.string() + ": not a model directory (expected a folder with config.json and model.safetensors)");
    CtConfig config = readCtConfig(directory / "config.json");
    auto weights = std::make_shared<const Weights>(Weights::fromSafeTensors(directory / "model.safetensors"));
    return std::make_shared<const CtModel>(std::move(config), std::move(weights));
}

} // namespace attn
