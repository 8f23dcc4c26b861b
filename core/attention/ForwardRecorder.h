#pragma once
/// @file ForwardRecorder.h
/// The "record it" hook point of a forward pass: what a run hands to whoever asked to see it
/// (attributions, a reference set's means), beside the attention a store keeps.

#include "attention/HeadEdits.h"
#include "tensor/Tensor.h"

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

} // namespace attn
