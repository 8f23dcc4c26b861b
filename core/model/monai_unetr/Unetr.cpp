#include "model/monai_unetr/Unetr.h"

#include "model/ModelFamilyTable.h"
#include "model/RunMemory.h"
#include "model/monai_vit/VitNames.h"
#include "model/monai_unetr/SlidingWindow.h"
#include "util/Progress.h"

namespace attn {

Unetr::Unetr(UnetrConfig config, MonaiPreprocessing preprocessing, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), weights_(std::move(weights)), input_(std::move(preprocessing), config_.vit.imgSize, true),
      encoder_(*weights_, config_.vit)
{
    const Weights& w = *weights_;
    const int f = config_.featureSize, d = config_.vit.encoder.dModel;
    const bool res = config_.resBlock;
    encoder1_ = bindConvBlock(w, "encoder1.layer.", {config_.vit.inChannels, f, 3}, res);
    encoder2_ = bindPrUpBlock(w, "encoder2.", d, 2 * f, 2, config_.convBlock, res);
    encoder3_ = bindPrUpBlock(w, "encoder3.", d, 4 * f, 1, config_.convBlock, res);
    encoder4_ = bindPrUpBlock(w, "encoder4.", d, 8 * f, 0, config_.convBlock, res);
    decoder5_ = bindUpBlock(w, "decoder5.", d, 8 * f, res);
    decoder4_ = bindUpBlock(w, "decoder4.", 8 * f, 4 * f, res);
    decoder3_ = bindUpBlock(w, "decoder3.", 4 * f, 2 * f, res);
    decoder2_ = bindUpBlock(w, "decoder2.", 2 * f, f, res);
    outWeight_ = &w.get("out.conv.conv.weight", {config_.outChannels, f, 1, 1, 1});
    outBias_ = &w.get("out.conv.conv.bias", {config_.outChannels});
}

Grid Unetr::featureGrid(const Matrix& x) const
{
    Grid g;
    g.channels = static_cast<int>(x.cols());
    g.size = config_.vit.patchGrid();
    g.data.resize(static_cast<std::size_t>(x.size()));
    Eigen::Map<Matrix>(g.data.data(), x.cols(), x.rows()) = x.transpose();
    return g;
}

Grid Unetr::decode(const Grid& region, const LayerTaps& taps, const Matrix& last) const
{
    const Grid enc1 = runConvBlock(encoder1_, region);
    const Grid enc2 = runPrUpBlock(encoder2_, featureGrid(taps.states[0]));
    const Grid enc3 = runPrUpBlock(encoder3_, featureGrid(taps.states[1]));
    const Grid enc4 = runPrUpBlock(encoder4_, featureGrid(taps.states[2]));
    Grid dec = runUpBlock(decoder5_, featureGrid(last), enc4);
    dec = runUpBlock(decoder4_, dec, enc3);
    dec = runUpBlock(decoder3_, dec, enc2);
    dec = runUpBlock(decoder2_, dec, enc1);
    return conv3d(dec, *outWeight_, outBias_, 1, 0);
}

UnetrRun Unetr::run(const Grid& region, const RunOptions& options) const
{
    MemoryPlan plan("UNETR's run");
    planRun(plan, options.store);
    plan.check(options.store.budgetBytes);
    const int layers = config_.vit.encoder.nLayers;
    LayerTaps taps{{3, 6, 9}, {}};
    UnetrRun out{encoder_.encode(region, options, &taps, 0, layers + 1), {}};
    if (options.progress)
        options.progress->step(layers, layers + 1, "decoder");
    out.segmentation = decode(region, taps, out.encoder.hidden);
    return out;
}

Volume argmaxLabels(const Grid& logits, const VolumeGeometry& geometry)
{
    Volume labels = gridChannel(logits, 0, geometry);
    std::vector<float> best(labels.values.size());
    for (int c = 0; c < logits.channels; ++c) {
        const Volume channel = c == 0 ? labels : gridChannel(logits, c, geometry);
        for (std::size_t i = 0; i < best.size(); ++i)
            if (c == 0 || channel.values[i] > best[i]) {
                best[i] = channel.values[i];
                labels.values[i] = static_cast<float>(c);
            }
    }
    return labels;
}

VolumeInput Unetr::prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const
{
    return input_.prepare(study, request, config_.vit.inChannels, progress);
}

VolumeRun Unetr::runInput(const VolumeInput& input, const RegionRequest& request, const RunOptions& options) const
{
    UnetrRun region = run(input.grid, options);
    VolumeRun out{std::move(region.encoder), Segmentation{argmaxLabels(region.segmentation, input.geometry), config_.vit.encoder.labels}};
    if (!request.slidingWindow || !input.preprocessed)
        return out;
    RunOptions window = options; // one small layer of attention per window: only the logits are wanted
    window.store.layers = {0};
    window.store.type = StoreType::F16;
    window.store.diskDirectory.clear();
    window.progress = nullptr;
    const Grid logits = slidingWindow(
        monaiGrid(*input.preprocessed), config_.vit.imgSize, input_.preprocessing().inferer, config_.outChannels,
        [&](const Grid& w) { return run(w, window).segmentation; }, options.progress);
    out.segmentation->labels = argmaxLabels(logits, input.preprocessed->geometry);
    return out;
}

void Unetr::planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest& request, const VolumeGeometry& study) const
{
    input_.plan(plan, study);
    planRun(plan, store);
    if (request.slidingWindow) // the logits and weights over the whole preprocessed study, its grid, and the labels
        plan.add("sliding-window logits and weights",
                 static_cast<std::size_t>((config_.outChannels + 3) * input_.largestVoxels(study)) * sizeof(float));
}

void Unetr::planRun(MemoryPlan& plan, const StorePlan& store) const
{
    const auto voxels = static_cast<std::size_t>(config_.vit.imgSize[0]) * static_cast<std::size_t>(config_.vit.imgSize[1])
        * static_cast<std::size_t>(config_.vit.imgSize[2]);
    const auto f = static_cast<std::size_t>(config_.featureSize);
    planEncoderRun(plan, config_.vit.encoder, config_.vit.tokens(), store);
    plan.add("the encoder's outputs after layers 3, 6 and 9", 3 * static_cast<std::size_t>(config_.vit.tokens())
                                                                   * static_cast<std::size_t>(config_.vit.encoder.dModel) * sizeof(float));
    // At full resolution: the region, encoder1's output (f channels), decoder2's concatenation
    // (2 f) and its two convolutions' outputs (f each), the logits, and one slab of patches.
    plan.add("decoder at full resolution", (voxels * (1 + 5 * f + static_cast<std::size_t>(config_.outChannels)) + (std::size_t{4} << 20))
                                               * sizeof(float));
}

} // namespace attn

namespace attn {
namespace {

/// norm_name: "instance", or ["instance", {...}] (affine weights are found in the state dict).
void checkNorm(const ConfigReader& r)
{
    if (!r.has("norm_name"))
        return;
    const nlohmann::json& n = r.value("norm_name");
    const nlohmann::json& name = n.is_array() && !n.empty() ? n[0] : n;
    check<FormatError>(name.is_string() && (name == "instance" || name == "INSTANCE"),
                       r.where() + ": 'norm_name' is " + n.dump() + "; attnscope runs UNETR with instance normalisation");
}

UnetrConfig readUnetrConfig(const ConfigReader& r)
{
    UnetrConfig c;
    c.vit = readVitConfig(r, "monai_unetr", false, 12);
    check<FormatError>(c.vit.patchSize == std::array<int, 3>{16, 16, 16} || !r.has("patch_size"),
                       r.where() + ": UNETR's patches are 16 x 16 x 16");
    c.vit.patchSize = {16, 16, 16};
    c.outChannels = r.positiveInt("out_channels");
    c.featureSize = r.positiveIntOr("feature_size", 16);
    c.convBlock = r.booleanOr("conv_block", true);
    c.resBlock = r.booleanOr("res_block", true);
    checkNorm(r);
    if (r.has("labels") && r.strings("labels").size() == static_cast<std::size_t>(c.outChannels))
        c.vit.encoder.labels = r.strings("labels"); // the bundle's metadata.json names them
    for (int i = static_cast<int>(c.vit.encoder.labels.size()); i < c.outChannels; ++i)
        c.vit.encoder.labels.push_back("label " + std::to_string(i));
    return c;
}

bool decoderTensor(const std::string& name)
{
    for (const char* p : {"encoder1.", "encoder2.", "encoder3.", "encoder4.", "decoder2.", "decoder3.", "decoder4.", "decoder5.", "out."})
        if (name.rfind(p, 0) == 0)
            return true;
    return false;
}

} // namespace

ModelFamilyEntry monaiUnetrFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        UnetrConfig c = readUnetrConfig(config);
        ModelWeights file = source.takeTensors();
        if (!config.has("conv_block")) // its default changed from false to true across MONAI releases: the names say which
            c.convBlock = file.tensors.count("encoder2.blocks.0.0.conv.weight") != 0;
        TensorMap tensors;
        vitToEncoderNames(file.tensors, tensors, c.vit, "vit.", file.source);
        for (auto it = file.tensors.begin(); it != file.tensors.end();)
            if (decoderTensor(it->first)) {
                tensors[it->first] = std::move(it->second);
                it = file.tensors.erase(it);
            } else {
                ++it;
            }
        refuseLeftovers(file.tensors, file.source, "MONAI's UNETR");
        return std::make_shared<const Unetr>(std::move(c), readMonaiPreprocessing(config),
                                             std::make_shared<const Weights>(std::move(tensors), file.source));
    };
    const auto describe = [](const Model& model, nlohmann::json& info) {
        const UnetrConfig& c = dynamic_cast<const Unetr&>(model).config();
        describeVitEncoder(c.vit, info);
        info["out_channels"] = c.outChannels;
        info["feature_size"] = c.featureSize;
        info["conv_block"] = c.convBlock;
        info["res_block"] = c.resBlock;
        info["preprocessing"] = dynamic_cast<const Unetr&>(model).preprocessing();
    };
    return {"monai_unetr", "", load, describe, {}};
}

} // namespace attn
