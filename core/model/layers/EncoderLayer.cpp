#include "model/layers/EncoderLayer.h"

#include "model/WeightViews.h"
#include "tensor/Ops.h"

namespace attn {

NormWeights readNorm(const Weights& weights, const std::string& prefix, int d)
{
    return {vectorOf(weights, prefix + ".weight", d), vectorOf(weights, prefix + ".bias", d)};
}

EncoderLayer::EncoderLayer(const Weights& w, const std::string& p, const ModelConfig& c)
    : config_(c),
      attention_{matrixOf(w, p + "self_attn.in_proj_weight", 3 * c.dModel, c.dModel),
                 vectorOf(w, p + "self_attn.in_proj_bias", 3 * c.dModel),
                 matrixOf(w, p + "self_attn.out_proj.weight", c.dModel, c.dModel),
                 vectorOf(w, p + "self_attn.out_proj.bias", c.dModel)},
      linear1W_(matrixOf(w, p + "linear1.weight", (c.gatedFeedforward ? 2 : 1) * c.dimFeedforward, c.dModel)),
      linear2W_(matrixOf(w, p + "linear2.weight", c.dModel, c.dimFeedforward)),
      norm1_(readNorm(w, p + "norm1", c.dModel)),
      norm2_(readNorm(w, p + "norm2", c.dModel))
{
    if (c.feedforwardInBias)
        linear1B_.emplace(vectorOf(w, p + "linear1.bias", linear1W_.rows()));
    if (c.feedforwardOutBias)
        linear2B_.emplace(vectorOf(w, p + "linear2.bias", c.dModel));
    if (c.positional != Positional::Rotary)
        return;
    const std::string name = p + "self_attn.rotary_inv_freq";
    rotary_ = w.has(name) ? RowVector(vectorOf(w, name, c.headDim() / 2).transpose()) : rotaryFrequencies(c.headDim());
}

void EncoderLayer::feedForward(const ConstMatrixRef& x, MatrixRef residual, Matrix& hidden) const
{
    if (linear1B_)
        linear(x, linear1W_, *linear1B_, hidden);
    else
        linear(x, linear1W_, hidden);
    const Index ff = config_.dimFeedforward;
    auto active = hidden.leftCols(ff);
    switch (config_.activation) {
    case Activation::Gelu: geluInPlace(active); break;
    case Activation::Relu: reluInPlace(active); break;
    case Activation::Silu: siluInPlace(active); break;
    }
    if (config_.gatedFeedforward)
        multiplyInPlace(active, hidden.rightCols(ff));
    linearAdd(active, linear2W_, linear2B_ ? &*linear2B_ : nullptr, residual);
}

void EncoderLayer::forward(Matrix& x, const AttentionMask& mask, AttentionSink sink, LayerScratch& scratch) const
{
    const RowVector* rotary = rotary_ ? &*rotary_ : nullptr;
    if (config_.normFirst) {
        scratch.normed = x;
        layerNormRows(scratch.normed, norm1_.gamma, norm1_.beta, config_.layerNormEps);
    }
    const bool parts = sink.recorder && sink.recorder->wantsLayerParts();
    const Matrix input = parts ? x : Matrix();
    selfAttentionContext(config_.normFirst ? scratch.normed : x, attention_, config_.nHeads, rotary, mask, sink, scratch.attention);
    if (!parts)
        return forwardFromContext(x, scratch.attention.context, scratch);
    LayerStates states;
    forwardFromContext(x, scratch.attention.context, scratch, &states);
    const Index d = config_.dModel;
    sink.recorder->layerParts(sink.layer, LayerParts{config_.normFirst, input, scratch.attention.qkv.rightCols(d), attention_.outProj,
                                                     attention_.outBias, states.afterAttention, states.afterNorm1, states.beforeNorm2,
                                                     norm1_.gamma, norm1_.beta, norm2_.gamma, config_.layerNormEps, sink.store, &mask.keyPadding,
                                                     sink.edits});
}

void EncoderLayer::forwardFirstToken(Matrix& x, const AttentionMask& mask, AttentionSink sink, LayerScratch& scratch) const
{
    const RowVector* rotary = rotary_ ? &*rotary_ : nullptr;
    if (config_.normFirst) {
        scratch.normed = x;
        layerNormRows(scratch.normed, norm1_.gamma, norm1_.beta, config_.layerNormEps);
    }
    selfAttentionContext(config_.normFirst ? scratch.normed : x, attention_, config_.nHeads, rotary, mask, sink, scratch.attention, 1);
    Matrix first = x.topRows(1);
    forwardFromContext(first, scratch.attention.context, scratch);
    x.row(0) = first.row(0);
}

void EncoderLayer::uniformHeadOutputs(const ConstMatrixRef& x, const LayerEdits& edits, const std::vector<bool>& keyPadding,
                                      MatrixRef z) const
{
    Matrix normed;
    if (config_.normFirst) {
        normed = x;
        layerNormRows(normed, norm1_.gamma, norm1_.beta, config_.layerNormEps);
    }
    const RowVector mixed = meanOutput(config_.normFirst ? ConstMatrixRef(normed) : x, keyPadding); // the attended rows' mean
    const Index d = config_.dModel, dh = d / config_.nHeads;
    for (int h = 0; h < config_.nHeads; ++h)
        if (edits.uniformOf(h)) { // the values are linear in the input: their mean is the mean's value
            const RowVector value = mixed * attention_.inProj.middleRows(2 * d + h * dh, dh).transpose()
                                    + attention_.inBias.segment(2 * d + h * dh, dh).transpose();
            z.middleCols(h * dh, dh).rowwise() = value;
        }
}

void EncoderLayer::forwardFromContext(Matrix& x, const ConstMatrixRef& context, LayerScratch& scratch, LayerStates* states) const
{
    const float eps = config_.layerNormEps;
    linearAdd(context, attention_.outProj, &attention_.outBias, x);
    if (states)
        states->afterAttention = x;
    if (config_.normFirst) {
        Matrix& normed = scratch.normed;
        normed = x;
        layerNormRows(normed, norm2_.gamma, norm2_.beta, eps);
        feedForward(normed, x, scratch.hidden);
        return;
    }
    layerNormRows(x, norm1_.gamma, norm1_.beta, eps);
    if (states)
        states->afterNorm1 = x;
    feedForward(x, x, scratch.hidden);
    if (states)
        states->beforeNorm2 = x;
    layerNormRows(x, norm2_.gamma, norm2_.beta, eps);
}

} // namespace attn
