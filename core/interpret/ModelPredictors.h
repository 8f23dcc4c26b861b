#pragma once
/// @file ModelPredictors.h
/// Predictors over each interface a family implements: a sequence model (a classifier's logits, or
/// a masked LM's log-likelihood of its input), a model over a CT study (logits, or a segmentation),
/// the EHR encoder (logits) and the MSA Transformer (the query row's log-likelihood).

#include "interpret/ContactMetric.h"
#include "interpret/Predictor.h"
#include "model/VolumeModel.h"

#include <memory>
#include <vector>

namespace attn {

class SequenceModel;
class EhrModel;
struct EhrTokens;
class MsaTransformer;

/// With `contacts`, a protein model's prediction is its contact head's map, judged against them
/// (contactPrecisionMetric) instead of the masked-LM likelihood.
std::unique_ptr<Predictor> sequencePredictor(std::shared_ptr<const SequenceModel> model, std::vector<int> ids,
                                             std::shared_ptr<const ContactTruth> contacts = nullptr);
/// A segmenting model is judged on its region (not a whole-study sliding window).
std::unique_ptr<Predictor> volumePredictor(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const VolumeInput> input,
                                           RegionRequest request);
std::unique_ptr<Predictor> ehrPredictor(std::shared_ptr<const EhrModel> model, std::shared_ptr<const EhrTokens> tokens);
/// With `contacts` (their queryPositions: the query's columns), judged on its contact head's map.
std::unique_ptr<Predictor> msaPredictor(std::shared_ptr<const MsaTransformer> model, std::vector<int> tokens, Index rows,
                                        std::shared_ptr<const ContactTruth> contacts = nullptr);

} // namespace attn
