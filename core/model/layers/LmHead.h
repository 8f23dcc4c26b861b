#pragma once
/// @file LmHead.h
/// The masked-LM head that BERT (BertLMPredictionHead) and ESM (EsmLMHead) share: dense + GELU +
/// LayerNorm, then the decoder (usually tied to the word embeddings) plus a bias, giving logits
/// [T, vocab] for every token. Bound under `lm_head.` (dense, layer_norm, decoder, bias).

#include "model/Weights.h"
#include "model/layers/EncoderLayer.h"

#include <optional>

namespace attn {

/// Views of the head's weights, validated for shape at construction.
class LmHead {
public:
    /// `tiedDecoder` is used when the weights hold no lm_head.decoder.weight [vocab, d].
    LmHead(const Weights& weights, int d, int vocab, float eps, const Eigen::Map<const Matrix>& tiedDecoder);
    /// Logits [rows, vocab] of hidden states x [rows, d].
    Matrix logits(const ConstMatrixRef& x) const;

private:
    Eigen::Map<const Matrix> denseW_, decoder_;
    Eigen::Map<const Vector> denseB_, bias_;
    NormWeights norm_;
    float eps_;
};

} // namespace attn
