#include "model/layers/LmHead.h"

#include "model/WeightViews.h"
#include "tensor/Ops.h"

namespace attn {

LmHead::LmHead(const Weights& w, int d, int vocab, float eps, const Eigen::Map<const Matrix>& tiedDecoder)
    : denseW_(matrixOf(w, "lm_head.dense.weight", d, d)),
      decoder_(w.has("lm_head.decoder.weight") ? matrixOf(w, "lm_head.decoder.weight", vocab, d) : tiedDecoder),
      denseB_(vectorOf(w, "lm_head.dense.bias", d)), bias_(vectorOf(w, "lm_head.bias", vocab)),
      norm_(readNorm(w, "lm_head.layer_norm", d)), eps_(eps)
{
}

Matrix LmHead::logits(const ConstMatrixRef& x) const
{
    Matrix h;
    linear(x, denseW_, denseB_, h);
    geluInPlace(h);
    layerNormRows(h, norm_.gamma, norm_.beta, eps_);
    Matrix out(h.rows(), decoder_.rows());
    out.noalias() = h * decoder_.transpose();
    out.rowwise() += bias_.transpose();
    return out;
}

} // namespace attn
