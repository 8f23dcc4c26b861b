#include "interpret/ModelPredictors.h"

#include "model/SequenceModel.h"
#include "model/ehr_encoder/EhrModel.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "util/Error.h"

namespace attn {
namespace {

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

class SequencePredictor : public ModelPredictor {
public:
    SequencePredictor(std::shared_ptr<const SequenceModel> model, std::vector<int> ids)
        : ModelPredictor(*model, model->maskedLm() ? logLikelihoodMetric() : classifierMetric()), model_(std::move(model)), ids_(std::move(ids))
    {
    }
    PredictionValues forward(const RunOptions& options) const override
    {
        const SequenceRun run = model_->run(ids_, options);
        return model_->maskedLm() ? tokenLogLikelihoods(run.logits, ids_) : logitsOf(run.result.logits);
    }

private:
    std::shared_ptr<const SequenceModel> model_;
    std::vector<int> ids_;
};

class VolumePredictor : public ModelPredictor {
public:
    VolumePredictor(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const VolumeInput> input, RegionRequest request)
        : ModelPredictor(*model, model->segments() ? segmentationMetric() : classifierMetric()), model_(std::move(model)),
          input_(std::move(input)), request_(request)
    {
        request_.slidingWindow = false;
    }
    PredictionValues forward(const RunOptions& options) const override
    {
        const VolumeRun run = model_->runInput(*input_, request_, options);
        if (!model_->segments())
            return logitsOf(run.result.logits);
        check(run.segmentation.has_value(), "the segmenting model gave no segmentation");
        return run.segmentation->labels.values;
    }

private:
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

private:
    std::shared_ptr<const EhrModel> model_;
    std::shared_ptr<const EhrTokens> tokens_;
};

class MsaPredictor : public ModelPredictor {
public:
    MsaPredictor(std::shared_ptr<const MsaTransformer> model, std::vector<int> tokens, Index rows)
        : ModelPredictor(*model, logLikelihoodMetric()), model_(std::move(model)), tokens_(std::move(tokens)), rows_(rows)
    {
    }
    /// The query row's tokens (the first row) under the logits of the whole alignment.
    PredictionValues forward(const RunOptions& options) const override
    {
        const SequenceRun run = model_->run(tokens_, rows_, options);
        const Index columns = static_cast<Index>(tokens_.size()) / rows_;
        const std::vector<int> query(tokens_.begin(), tokens_.begin() + columns);
        return tokenLogLikelihoods(run.logits.topRows(columns), query);
    }

private:
    std::shared_ptr<const MsaTransformer> model_;
    std::vector<int> tokens_;
    Index rows_;
};

} // namespace

std::unique_ptr<Predictor> sequencePredictor(std::shared_ptr<const SequenceModel> model, std::vector<int> ids)
{
    return std::make_unique<SequencePredictor>(std::move(model), std::move(ids));
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

std::unique_ptr<Predictor> msaPredictor(std::shared_ptr<const MsaTransformer> model, std::vector<int> tokens, Index rows)
{
    return std::make_unique<MsaPredictor>(std::move(model), std::move(tokens), rows);
}

} // namespace attn
