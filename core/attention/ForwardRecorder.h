#pragma once
/// @file ForwardRecorder.h
/// The "record it" hook point of a forward pass: what a run hands to whoever asked to see it
/// (attributions, a reference set's means), beside the attention a store keeps.

#include "attention/HeadEdits.h"
#include "tensor/Tensor.h"

#include <vector>

namespace attn {

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
