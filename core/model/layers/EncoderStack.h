#pragma once
/// @file EncoderStack.h
/// A stack of EncoderLayers run on embeddings and classified on [CLS]: the shared run of the
/// families that embed their own way (ct_encoder, ehr_encoder).

#include "model/ModelConfig.h"
#include "model/RunResult.h"
#include "model/layers/EncoderLayer.h"

#include <optional>
#include <vector>

namespace attn {

/// The run of the families that embed their own way (ct_encoder, ehr_encoder) on embeddings x [T, d]:
/// every layer (attention into a new store, no mask), the final norm if any, the classifier on [CLS].
/// Layer l is progress step `firstStep` + l of `firstStep` + layers.
RunResult encodeAndClassify(Matrix x, const std::vector<EncoderLayer>& layers, const ModelConfig& config,
                            const std::optional<NormWeights>& finalNorm, const Eigen::Map<const Matrix>& classifierW,
                            const Eigen::Map<const Vector>& classifierB, const RunOptions& options, int firstStep);

} // namespace attn
