#pragma once
/// @file FamilyRunners.h
/// One golden model of every family and how to run it with RunOptions, for the tests that compare a
/// family's run with its PyTorch reference under options (interventions, attributions).

#include "attention/AttentionStore.h"
#include "tensor/Tensor.h"
#include "model/RunResult.h"
#include "tensor/Conv3d.h"

#include <functional>
#include <string>
#include <vector>

namespace attn::test {

/// What a family's run gives, for comparison with the reference.
struct FamilyRun {
    std::vector<float> logits;
    AttentionStore attention;
    AttentionStore column; ///< The MSA Transformer's column attention; empty otherwise.
};

using Runner = std::function<FamilyRun(const RunOptions&)>;

/// A golden input.npy ([C,] D0, D1, D2) as a model's input grid.
Grid gridOf(const Tensor& t);

/// The runner of a family's golden model, by the name its golden folders use ("torch_encoder_preln",
/// "bert", "ct_encoder", "esm", "monai_unetr", ...); throws std::out_of_range for another name.
Runner runnerFor(const std::string& family);

} // namespace attn::test
