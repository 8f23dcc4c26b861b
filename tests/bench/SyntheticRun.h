#pragma once
/// @file SyntheticRun.h
/// A run for the view benchmarks, without a model: one layer of synthetic heads (see
/// fillSyntheticAttention) over a DNA-like token axis.

#include "common/RunData.h"

#include "BenchSupport.h"

#include <memory>
#include <string>
#include <vector>

namespace attn::bench {

/// A run of one layer whose heads are softmaxes of random scores with different spreads
/// (sharp to diffuse), like a trained model's.
inline widgets::RunData syntheticRun(Index length, int heads)
{
    auto result = std::make_shared<RunResult>();
    result->attention = AttentionStore(1, heads, length, {});
    fillSyntheticAttention(result->attention);
    result->logits = Vector::Zero(2);
    widgets::RunData run;
    run.result = result;
    std::vector<std::string> labels;
    for (Index i = 0; i < length; ++i)
        labels.push_back(i == 0 ? "[CLS]" : std::string(1, "ACGT"[i % 4]));
    run.axis = indexTokenAxis(labels);
    for (const std::string& t : labels)
        run.tokens << QString::fromStdString(t);
    run.name = "synthetic";
    return run;
}

} // namespace attn::bench
