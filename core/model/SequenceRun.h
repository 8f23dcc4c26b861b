#pragma once
/// @file SequenceRun.h
/// What a run of a sequence model (SequenceModel.h: DNA or protein) or of the MSA Transformer
/// gives: the attention the shared views read, the MSA Transformer's column attention, a masked
/// LM's logits for every token and the predicted contacts.

#include "attention/AttentionStore.h"
#include "model/RunResult.h"

#include <string>

namespace attn {

/// One run; owned by the caller.
struct SequenceRun {
    /// ids: the query row's tokens (msa_transformer; <cls> first) or the whole input;
    /// attention: the tied row attention [layers][heads, C, C] or the encoder's [heads, T, T];
    /// logits: a classifier's class logits (empty for a masked LM).
    RunResult result;
    AttentionStore columnAttention; ///< msa_transformer: per layer heads * C maps of R x R (head h * C + c); else empty.
    Matrix logits;                  ///< A masked LM's [R * C, vocab] (row-major by row, then column) or [T, vocab]; empty for a classifier.
    Matrix contacts;                ///< Predicted contacts [L, L] over the query's residues (empty for a DNA model).
    std::string contactSource;      ///< What predicted them: "contact head", or "mean over heads" for a model without one.
    Index rows = 1;                 ///< Sequences R the model saw (1 but for msa_transformer).
};

} // namespace attn
