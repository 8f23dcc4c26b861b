#include "interpret/ModelPredictors.h"

#include "model/SequenceModel.h"
#include "model/ehr_encoder/EhrModel.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "util/Error.h"

#include <algorithm>
#include <numeric>

namespace attn {
namespace {

/// The token that stands for a removed one: N (as long as the tokenizer's tokens, then one) for a DNA
/// model, else the mask, else the unknown token.
int neutralToken(const SequenceModel& model)
{
    const std::vector<std::string>& vocab = model.vocabulary();
    std::vector<std::string> wanted;
    if (model.letters() == Letters::Dna)
        wanted = {std::string(static_cast<std::size_t>(std::max(1, model.tokenizer().config().k)), 'N'), "N"};
    for (const char* t : {"<mask>", "[MASK]"})
        wanted.emplace_back(t);
    wanted.push_back(model.unknownToken());
    for (const std::string& w : wanted)
        if (const auto it = std::find(vocab.begin(), vocab.end(), w); it != vocab.end())
            return static_cast<int>(it - vocab.begin());
    throw Error("the model's vocabulary has no N, mask or unknown token to stand for a removed token");
}

/// Flags for `count` positions, true from `first` to `last` (exclusive).
std::vector<bool> flagsBetween(Index count, Index first, Index last)
{
    std::vector<bool> out(static_cast<std::size_t>(count), false);
    for (Index t = std::max<Index>(first, 0); t < std::min(last, count); ++t)
        out[static_cast<std::size_t>(t)] = true;
    return out;
}

PredictionValues logitsOf(const Vector& logits)
{
    return {logits.data(), logits.data() + logits.size()};
}

/// What every predictor shares: its model's sizes and its metric.
class ModelPredictor : public Predictor {
public:
    ModelPredictor(const Model& model, std::unique_ptr<PredictionMetric> metric) : model_(model), metric_(std::move(metric)) {}
    int layers() const override { return model_.encoderConfig().nLayers; }
    int heads() const override { return model_.encoderConfig().nHeads; }
    const PredictionMetric& metric() const override { return *metric_; }

private:
    const Model& model_;
    std::unique_ptr<PredictionMetric> metric_;
};

/// The metric of a model that predicts tokens: against the structure when there is one.
std::unique_ptr<PredictionMetric> tokenMetric(bool maskedLm, const std::shared_ptr<const ContactTruth>& contacts)
{
    if (contacts)
        return contactPrecisionMetric(contacts);
    return maskedLm ? logLikelihoodMetric() : classifierMetric();
}

class SequencePredictor : public ModelPredictor {
public:
    SequencePredictor(std::shared_ptr<const SequenceModel> model, std::vector<int> ids, std::shared_ptr<const ContactTruth> contacts)
        : ModelPredictor(*model, tokenMetric(model->maskedLm(), contacts)), model_(std::move(model)), ids_(std::move(ids)),
          contacts_(std::move(contacts))
    {
    }
    PredictionValues forward(const RunOptions& options) const override { return forwardOn(ids_, options); }
    Index tokens() const override { return static_cast<Index>(ids_.size()); }
    bool readsFirstToken() const override { return !model_->maskedLm(); }
    std::string replacement() const override { return model_->vocabulary().at(static_cast<std::size_t>(neutral_)); }
    std::vector<bool> removable() const override { return flagsBetween(tokens(), 1, 1 + model_->innerTokens(tokens())); }
    PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& options) const override
    {
        std::vector<int> ids = ids_;
        for (std::size_t t = 0; t < ids.size() && t < removed.size(); ++t)
            if (removed[t])
                ids[t] = neutral_;
        return forwardOn(ids, options);
    }

private:
    /// A masked LM's likelihood is of the input's own tokens, whatever replaced them.
    PredictionValues forwardOn(const std::vector<int>& ids, const RunOptions& options) const
    {
        const SequenceRun run = model_->run(ids, options);
        if (contacts_)
            return contactValues(run.contacts, *contacts_);
        return model_->maskedLm() ? tokenLogLikelihoods(run.logits, ids_) : logitsOf(run.result.logits);
    }

    std::shared_ptr<const SequenceModel> model_;
    std::vector<int> ids_;
    std::shared_ptr<const ContactTruth> contacts_;
    int neutral_ = neutralToken(*model_);
};

class VolumePredictor : public ModelPredictor {
public:
    VolumePredictor(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const VolumeInput> input, RegionRequest request)
        : ModelPredictor(*model, model->segments() ? segmentationMetric() : classifierMetric()), model_(std::move(model)),
          input_(std::move(input)), request_(request)
    {
        request_.slidingWindow = false;
    }
    PredictionValues forward(const RunOptions& options) const override { return runOn(*input_, options); }
    Index tokens() const override
    {
        const PatchLayout layout = model_->patchLayout();
        return layout.tokens() + layout.firstImageToken;
    }
    bool readsFirstToken() const override { return !model_->segments(); }
    std::string replacement() const override { return "the study's mean (as the model's preprocessing gives it) over the token's patch"; }
    std::vector<bool> removable() const override
    {
        const PatchLayout layout = model_->patchLayout();
        return flagsBetween(tokens(), layout.firstImageToken, tokens());
    }
    /// The input with every voxel of a removed token's patch (the voxels nearest its centre) set to
    /// the input's mean, per channel.
    PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& options) const override
    {
        const std::vector<int> owner = patchOwners(); // a pass over the grid: small beside the forward
        VolumeInput changed = *input_;
        Grid& grid = changed.grid;
        const std::size_t n = grid.positions();
        for (int c = 0; c < grid.channels; ++c) {
            float* channel = grid.data.data() + static_cast<std::size_t>(c) * n;
            const float mean = static_cast<float>(std::accumulate(channel, channel + n, 0.0) / static_cast<double>(n));
            for (std::size_t v = 0; v < n; ++v)
                if (const int t = owner[v]; t >= 0 && static_cast<std::size_t>(t) < removed.size() && removed[static_cast<std::size_t>(t)])
                    channel[v] = mean;
        }
        return runOn(changed, options);
    }

private:
    PredictionValues runOn(const VolumeInput& input, const RunOptions& options) const
    {
        const VolumeRun run = model_->runInput(input, request_, options);
        if (!model_->segments())
            return logitsOf(run.result.logits);
        check(run.segmentation.has_value(), "the segmenting model gave no segmentation");
        return run.segmentation->labels.values;
    }
    /// Per position of the input grid, the token whose patch holds it (-1: none).
    std::vector<int> patchOwners() const
    {
        const PatchLayout layout = model_->patchLayout();
        const auto& size = input_->geometry.size;
        check<ShapeError>(input_->geometry.voxels() == input_->grid.positions(), "the model's input grid does not match its geometry");
        std::vector<int> owner(input_->grid.positions(), -1);
        for (int z = 0; z < size[2]; ++z)
            for (int y = 0; y < size[1]; ++y)
                for (int x = 0; x < size[0]; ++x)
                    owner[inputGridOffset(layout, size, x, y, z)] = nearestToken(layout, size, Eigen::Vector3d(x, y, z)).value_or(-1);
        return owner;
    }

    std::shared_ptr<const VolumeModel> model_;
    std::shared_ptr<const VolumeInput> input_;
    RegionRequest request_;
};

class EhrPredictor : public ModelPredictor {
public:
    EhrPredictor(std::shared_ptr<const EhrModel> model, std::shared_ptr<const EhrTokens> tokens)
        : ModelPredictor(*model, classifierMetric()), model_(std::move(model)), tokens_(std::move(tokens))
    {
    }
    PredictionValues forward(const RunOptions& options) const override { return logitsOf(model_->run(*tokens_, options).logits); }
    Index tokens() const override { return tokens_->size(); }
    bool readsFirstToken() const override { return true; }
    std::string replacement() const override { return "the event removed"; }
    std::vector<bool> removable() const override { return flagsBetween(tokens(), 1, tokens()); }
    /// The record without the removed events (the others keep their times).
    PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& options) const override
    {
        EhrTokens kept = *tokens_;
        kept.ids.clear(), kept.time.clear(), kept.value.clear(), kept.hasValue.clear(), kept.source.clear();
        for (std::size_t t = 0; t < tokens_->ids.size(); ++t)
            if (t >= removed.size() || !removed[t]) {
                kept.ids.push_back(tokens_->ids[t]);
                kept.time.push_back(tokens_->time[t]);
                kept.value.push_back(tokens_->value[t]);
                kept.hasValue.push_back(tokens_->hasValue[t]);
                kept.source.push_back(tokens_->source[t]);
            }
        return logitsOf(model_->run(kept, options).logits);
    }

private:
    std::shared_ptr<const EhrModel> model_;
    std::shared_ptr<const EhrTokens> tokens_;
};

class MsaPredictor : public ModelPredictor {
public:
    MsaPredictor(std::shared_ptr<const MsaTransformer> model, std::vector<int> tokens, Index rows, std::shared_ptr<const ContactTruth> contacts)
        : ModelPredictor(*model, tokenMetric(true, contacts)), model_(std::move(model)), tokens_(std::move(tokens)), rows_(rows),
          contacts_(std::move(contacts))
    {
    }
    PredictionValues forward(const RunOptions& options) const override { return forwardOn(tokens_, options); }
    /// The columns ([CLS] first): the row attention's positions.
    Index tokens() const override { return static_cast<Index>(tokens_.size()) / rows_; }
    bool readsFirstToken() const override { return false; }
    std::string replacement() const override { return "the gap in every row of the column"; }
    std::vector<bool> removable() const override { return flagsBetween(tokens(), 1, tokens()); }
    PredictionValues forwardWithout(const std::vector<bool>& removed, const RunOptions& options) const override
    {
        std::vector<int> tokens = tokens_;
        const Index columns = this->tokens();
        const int gap = model_->alphabet().idOf('-');
        for (Index c = 0; c < columns && c < static_cast<Index>(removed.size()); ++c)
            if (removed[static_cast<std::size_t>(c)])
                for (Index r = 0; r < rows_; ++r)
                    tokens[static_cast<std::size_t>(r * columns + c)] = gap;
        return forwardOn(tokens, options);
    }

private:
    /// The query row's own tokens (the first row) under the logits of the whole alignment.
    PredictionValues forwardOn(const std::vector<int>& tokens, const RunOptions& options) const
    {
        const SequenceRun run = model_->run(tokens, rows_, options);
        if (contacts_)
            return contactValues(run.contacts, *contacts_);
        const Index columns = this->tokens();
        const std::vector<int> query(tokens_.begin(), tokens_.begin() + columns);
        return tokenLogLikelihoods(run.logits.topRows(columns), query);
    }

    std::shared_ptr<const MsaTransformer> model_;
    std::vector<int> tokens_;
    Index rows_;
    std::shared_ptr<const ContactTruth> contacts_;
};

} // namespace

std::unique_ptr<Predictor> sequencePredictor(std::shared_ptr<const SequenceModel> model, std::vector<int> ids,
                                             std::shared_ptr<const ContactTruth> contacts)
{
    return std::make_unique<SequencePredictor>(std::move(model), std::move(ids), std::move(contacts));
}

std::unique_ptr<Predictor> volumePredictor(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const VolumeInput> input,
                                           RegionRequest request)
{
    return std::make_unique<VolumePredictor>(std::move(model), std::move(input), request);
}

std::unique_ptr<Predictor> ehrPredictor(std::shared_ptr<const EhrModel> model, std::shared_ptr<const EhrTokens> tokens)
{
    return std::make_unique<EhrPredictor>(std::move(model), std::move(tokens));
}

std::unique_ptr<Predictor> msaPredictor(std::shared_ptr<const MsaTransformer> model, std::vector<int> tokens, Index rows,
                                        std::shared_ptr<const ContactTruth> contacts)
{
    return std::make_unique<MsaPredictor>(std::move(model), std::move(tokens), rows, std::move(contacts));
}

} // namespace attn
