#include "model/monai_vit/MonaiVit.h"

#include "model/ModelFamilyTable.h"
#include "model/RunMemory.h"
#include "model/monai_vit/VitNames.h"


namespace attn {

MonaiVit::MonaiVit(VitConfig config, MonaiPreprocessing preprocessing, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), weights_(std::move(weights)), input_(std::move(preprocessing), config_.imgSize, false),
      encoder_(*weights_, config_),
      headW_(weights_->get("head.weight", {config_.encoder.numLabels(), config_.encoder.dModel}).matrix()),
      headB_(weights_->get("head.bias", {config_.encoder.numLabels()}).vector())
{
}

void MonaiVit::planRun(MemoryPlan& plan, const StorePlan& store) const
{
    const auto k = static_cast<std::size_t>(config_.inChannels) * static_cast<std::size_t>(config_.patchSize[0] * config_.patchSize[1] * config_.patchSize[2]);
    plan.add("region and its patches", 2 * static_cast<std::size_t>(config_.patches()) * k * sizeof(float));
    planEncoderRun(plan, config_.encoder, config_.tokens(), store);
}

RunResult MonaiVit::run(const Grid& region, const RunOptions& options) const
{
    MemoryPlan plan("the ViT's run");
    planRun(plan, options.store);
    plan.check(options.store.budgetBytes);
    RunResult r = encoder_.encode(region, options, nullptr, 0, config_.encoder.nLayers, true); // the head reads [CLS]
    r.logits = headW_ * r.hidden.row(0).transpose() + headB_;
    if (config_.tanh)
        r.logits = r.logits.array().tanh();
    return r;
}

VolumeInput MonaiVit::prepareInput(const Volume& study, const RegionRequest& request, const Progress* progress) const
{
    return input_.prepare(study, request, config_.inChannels, progress);
}

VolumeRun MonaiVit::runInput(const VolumeInput& input, const RegionRequest&, const RunOptions& options) const
{
    return {run(input.grid, options), std::nullopt};
}

void MonaiVit::planVolumeRun(MemoryPlan& plan, const StorePlan& store, const RegionRequest&, const VolumeGeometry& study) const
{
    input_.plan(plan, study);
    planRun(plan, store);
}

ModelFamilyEntry monaiVitFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        VitConfig c = readVitConfig(config, "monai_vit", true);
        check<FormatError>(c.classification, config.where() + ": a ViT without 'classification' gives no prediction of its own; "
                                                             "attnscope opens MONAI's ViT classifiers and UNETR");
        ModelWeights file = source.takeTensors();
        TensorMap tensors;
        vitToEncoderNames(file.tensors, tensors, c, "", file.source);
        refuseLeftovers(file.tensors, file.source, "MONAI's ViT");
        return std::make_shared<const MonaiVit>(std::move(c), readMonaiPreprocessing(config),
                                                std::make_shared<const Weights>(std::move(tensors), file.source));
    };
    const auto describe = [](const Model& model, nlohmann::json& info) {
        const VitConfig& c = dynamic_cast<const MonaiVit&>(model).config();
        describeVitEncoder(c, info);
        info["post_activation"] = c.tanh ? "Tanh" : "none";
        info["preprocessing"] = dynamic_cast<const MonaiVit&>(model).preprocessing();
    };
    return {"monai_vit", "", load, describe, {}};
}

} // namespace attn
