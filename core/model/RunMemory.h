#pragma once
/// @file RunMemory.h
/// What an encoder run holds at its peak, for the whole-job memory plan (util/MemoryPlan.h):
/// the attention store as the StorePlan keeps it, and the activations of one layer at a time.

#include "attention/AttentionStore.h"
#include "model/ModelConfig.h"
#include "util/MemoryPlan.h"

namespace attn {

/// Adds an encoder run on `length` tokens to `plan`: "attention store" (kept layers x heads x
/// length^2 in the store's type; with the store on disk, the three layers it holds in memory) and
/// "activations": one layer's hidden states, its normed copy, Q, K, V, context and feed-forward
/// ([length, 6 d + ff] floats), the final hidden states,
/// and the attention kernel's score blocks (64 queries x length floats per thread). The store
/// comes with AttentionStore::advice (the float16 store, fewer layers).
void planEncoderRun(MemoryPlan& plan, const ModelConfig& config, Index length, const StorePlan& store);

} // namespace attn
