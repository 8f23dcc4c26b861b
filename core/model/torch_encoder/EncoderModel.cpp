#include "model/torch_encoder/EncoderModel.h"

#include "model/RunMemory.h"

#include "model/ModelFamily.h"
#include "model/ModelFamilyTable.h"
#include "model/layers/ContactHead.h"
#include "model/layers/EncoderStack.h"
#include "model/layers/PositionalEncoding.h"
#include "tensor/Ops.h"
#include "util/Error.h"

#include <tuple>

namespace attn {
namespace {

std::string layerPrefix(int i)
{
    return "encoder.layers." + std::to_string(i) + ".";
}

void checkIds(const std::vector<int>& ids, const std::vector<bool>& keyPadding, const ModelConfig& c, int vocab)
{
    check<ShapeError>(!ids.empty(), "the input has no tokens");
    check<ShapeError>(static_cast<int>(ids.size()) <= c.maxLen,
                      "the input has " + std::to_string(ids.size()) + " tokens ([CLS] included) but the model takes at most "
                          + std::to_string(c.maxLen));
    check<ShapeError>(keyPadding.empty() || keyPadding.size() == ids.size(),
                      "the padding mask has " + std::to_string(keyPadding.size()) + " entries for "
                          + std::to_string(ids.size()) + " tokens");
    for (int id : ids)
        check<ShapeError>(id >= 0 && id < vocab, "token id " + std::to_string(id) + " is outside the vocabulary (size "
                                                     + std::to_string(vocab) + ")");
}

} // namespace

EncoderModel::EncoderModel(ModelConfig config, std::shared_ptr<const Weights> weights)
    : config_(std::move(config)), weights_(std::move(weights)), tokenizer_(config_.tokenizer),
      letters_(lettersOfVocabulary(config_.tokenizer.vocab)),
      tokenEmbedding_(weights_->get("embed.weight", {tokenizer_.vocabSize(), config_.dModel}).matrix())
{
    if (config_.maskedLm) {
        lmHead_.emplace(*weights_, config_.dModel, tokenizer_.vocabSize(), config_.layerNormEps, tokenEmbedding_);
    } else {
        classifierW_.emplace(weights_->get("classifier.weight", {config_.numLabels(), config_.dModel}).matrix());
        classifierB_.emplace(weights_->get("classifier.bias", {config_.numLabels()}).vector());
    }
    if (config_.positional == Positional::Learned)
        positionEmbedding_.emplace(weights_->get("pos_embed.weight", {config_.maxLen, config_.dModel}).matrix());
    if (config_.finalNorm)
        finalNorm_ = readNorm(*weights_, "encoder.norm", config_.dModel);
    if (config_.embedNorm)
        embedNorm_ = readNorm(*weights_, "embed_norm", config_.dModel);
    if (config_.pooler) {
        poolerW_.emplace(weights_->get("pooler.weight", {config_.dModel, config_.dModel}).matrix());
        poolerB_.emplace(weights_->get("pooler.bias", {config_.dModel}).vector());
    }
    layers_.reserve(static_cast<std::size_t>(config_.nLayers));
    for (int i = 0; i < config_.nLayers; ++i)
        layers_.emplace_back(*weights_, layerPrefix(i), config_);
}

Matrix EncoderModel::embed(const std::vector<int>& ids) const
{
    const auto length = static_cast<Index>(ids.size());
    Matrix x(length, config_.dModel);
    for (Index p = 0; p < length; ++p)
        x.row(p) = tokenEmbedding_.row(ids[static_cast<std::size_t>(p)]) * config_.embedScale;
    if (config_.positional == Positional::Sinusoidal)
        x += sinusoidalEncoding(length, config_.dModel);
    else if (positionEmbedding_)
        x += positionEmbedding_->topRows(length);
    if (embedNorm_)
        layerNormRows(x, embedNorm_->gamma, embedNorm_->beta, config_.layerNormEps);
    return x;
}

RunResult EncoderModel::run(const std::vector<int>& ids, const std::vector<bool>& keyPadding,
                            const RunOptions& options) const
{
    return forward(ids, keyPadding, options, nullptr);
}

SequenceRun EncoderModel::run(const std::vector<int>& ids, const RunOptions& options) const
{
    SequenceRun out;
    std::optional<RunContacts> contacts; // made by forward, once the run fits its memory plan
    const bool protein = letters_ == Letters::Protein && innerTokens(static_cast<Index>(ids.size())) > 0;
    out.result = forward(ids, {}, options, protein ? &contacts : nullptr);
    if (lmHead_)
        out.logits = lmHead_->logits(out.result.hidden);
    if (contacts)
        std::tie(out.contacts, out.contactSource) = contacts->result();
    return out;
}

RunResult EncoderModel::forward(const std::vector<int>& ids, const std::vector<bool>& keyPadding, const RunOptions& options,
                                std::optional<RunContacts>* contacts) const
{
    checkIds(ids, keyPadding, config_, tokenizer_.vocabSize());
    const auto length = static_cast<Index>(ids.size());
    MemoryPlan plan("the run on " + std::to_string(length) + " tokens");
    planEncoderRun(plan, config_, length, options.store);
    const auto n = static_cast<std::size_t>(length);
    if (lmHead_)
        plan.add("logits", n * static_cast<std::size_t>(tokenizer_.vocabSize()) * sizeof(float));
    if (contacts)
        plan.add("contacts", ContactHead::bytesNeeded(config_.nLayers, config_.nHeads, innerTokens(length)));
    plan.check(options.store.budgetBytes); // before anything is allocated
    RunResult r{ids, keyPadding, {}, {}, AttentionStore(config_.nLayers, config_.nHeads, length, options.store)};
    if (contacts) // no contact head: the mean of the heads
        contacts->emplace(std::nullopt, config_.nLayers, config_.nHeads, innerTokens(length));
    AttentionMask mask{keyPadding, false, {}}; // encoder models attend both ways
    if (config_.positional == Positional::Alibi)
        mask.alibiSlopes = alibiSlopes(config_.nHeads);
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    LayerRun run{r.attention, options, contacts ? &**contacts : nullptr};
    run.readsFirstTokenOnly = classifierW_.has_value() && !lmHead_; // a classifier reads [CLS]
    Matrix x = resumesFromCache(run) ? Matrix() : embed(ids);
    runLayers(layers_, x, mask, run);
    if (finalNorm_)
        layerNormRows(x, finalNorm_->gamma, finalNorm_->beta, config_.layerNormEps);
    if (classifierW_) {
        Vector cls = x.row(0).transpose();
        if (poolerW_)
            cls = ((*poolerW_) * cls + *poolerB_).array().tanh().matrix();
        r.logits = *classifierW_ * cls + *classifierB_;
    }
    r.hidden = std::move(x);
    progress.report(config_.nLayers, config_.nLayers, "done");
    return r;
}

std::shared_ptr<const EncoderModel> loadModel(const std::filesystem::path& directory)
{
    return modelAs<EncoderModel>(loadModelPath(directory), directory.string(), "a sequence model (torch_encoder or bert)");
}

void describeSequenceModel(const Model& model, nlohmann::json& info)
{
    const auto& m = dynamic_cast<const EncoderModel&>(model);
    const Tokenizer& t = m.tokenizer();
    info["head"] = m.maskedLm() ? "masked LM" : "classifier";
    info["vocab_size"] = t.vocabSize();
    info["tokenizer"] = t.config().type;
    info["k"] = t.config().k;
}

ModelFamilyEntry torchEncoderFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        ModelConfig c = readTorchEncoderConfig(config);
        auto weights = source.takeWeights();
        return std::make_shared<const EncoderModel>(std::move(c), std::move(weights));
    };
    return {"torch_encoder", "", load, describeSequenceModel, {}};
}

} // namespace attn
