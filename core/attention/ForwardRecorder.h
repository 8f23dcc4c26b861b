#pragma once
/// @file ForwardRecorder.h
/// The "record it" hook point of a forward pass: what a run hands to whoever asked to see it
/// (attributions, a reference set's means), beside the attention a store keeps.

#include "attention/HeadEdits.h"
#include "tensor/Tensor.h"

#include <Eigen/Core>

#include <vector>

namespace attn {

class AttentionStore;

/// One encoder layer's activations and the parameters its attention block is decomposed with
/// (attributions: Attn-N, GlobEnc, ALTI; docs/attributions.md). Views, valid during the call only.
///   post-LN: p1 = x + z W_O^T + b_O,  h = norm1(p1),  p2 = h + FF(h),  out = norm2(p2)
///   pre-LN:  p1 = x + z W_O^T + b_O (z from norm1(x)),  out = p1 + FF(norm2(p1))
struct LayerParts {
    bool normFirst = false;              ///< Pre-LN (then afterNorm1 and beforeNorm2 are empty).
    ConstMatrixRef input;                ///< x [T, d]: the residual stream entering the layer.
    ConstMatrixRef values;               ///< V [T, heads * d_head], its bias included, head h in columns [h d_head, (h + 1) d_head).
    ConstMatrixRef outProj;              ///< W_O [d, d] (PyTorch's out_proj.weight: out x in).
    Eigen::Ref<const Vector> outBias;    ///< b_O [d].
    ConstMatrixRef afterAttention;       ///< p1 [T, d].
    ConstMatrixRef afterNorm1;           ///< Post-LN: h = norm1(p1) [T, d].
    ConstMatrixRef beforeNorm2;          ///< Post-LN: p2 = h + FF(h) [T, d].
    Eigen::Ref<const Vector> norm1Gamma, norm1Beta, norm2Gamma; ///< The LayerNorms' scales and norm1's shift [d].
    float eps = 0;                       ///< The LayerNorms' epsilon.
    const AttentionStore* attention = nullptr; ///< The run's store, whose layer `layer` holds this layer's weights (or null).
    const std::vector<bool>* padding = nullptr; ///< The padded tokens (null or empty: none).
    const LayerEdits* edits = nullptr;   ///< The run's edits of this attention (null: none); those of the heads' outputs
                                         ///< (zero, mean, scale) are not in `attention`'s weights, so the decomposition applies them.
};

/// Receives activations during a run, in layer order, on the thread that runs the layers.
class ForwardRecorder {
public:
    virtual ~ForwardRecorder() = default;
    /// The residual stream entering layer `layer`: x [T, d].
    virtual void layerInput(int /*layer*/, const ConstMatrixRef& /*x*/) {}
    /// Every head's output z = A V of one attention of a layer, after its edits and before the
    /// output projection: [T, heads * d_head], head h in columns [h d_head, (h + 1) d_head), rows in
    /// the run's token order.
    virtual void headOutputs(int /*layer*/, AttentionPart /*part*/, const ConstMatrixRef& /*z*/) {}
    /// True when it wants each encoder layer's parts (layerParts): the layers then keep copies of
    /// their intermediate states, which a plain run does not.
    virtual bool wantsLayerParts() const { return false; }
    /// An encoder layer's parts, once the layer has run (families whose layers are EncoderLayers).
    virtual void layerParts(int /*layer*/, const LayerParts& /*parts*/) {}
};

/// A recorder that keeps each layer's input and the heads' outputs of its (main) attention: what a
/// later run of the same input resumes from (RunOptions::resumeFrom), so that a head changed in
/// layer l costs the layers from l up, and layer l itself only from its output projection on when
/// the change is to the head's output.
class LayerCache : public ForwardRecorder {
public:
    void layerInput(int layer, const ConstMatrixRef& x) override { at(inputs_, layer) = x; }
    void headOutputs(int layer, AttentionPart part, const ConstMatrixRef& z) override
    {
        if (part == AttentionPart::Main)
            at(contexts_, layer) = z;
    }
    /// True when layer's input was recorded.
    bool hasInput(int layer) const { return layer >= 0 && layer < static_cast<int>(inputs_.size()) && inputs_[index(layer)].size() > 0; }
    /// True when layer's heads' outputs were recorded.
    bool hasContext(int layer) const { return layer >= 0 && layer < static_cast<int>(contexts_.size()) && contexts_[index(layer)].size() > 0; }
    const Matrix& input(int layer) const { return inputs_.at(index(layer)); }
    const Matrix& context(int layer) const { return contexts_.at(index(layer)); }

private:
    static std::size_t index(int layer) { return static_cast<std::size_t>(layer); }
    static Matrix& at(std::vector<Matrix>& v, int layer)
    {
        if (v.size() <= index(layer))
            v.resize(index(layer) + 1);
        return v[index(layer)];
    }
    std::vector<Matrix> inputs_, contexts_;
};

} // namespace attn
