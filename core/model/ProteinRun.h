#pragma once
/// @file ProteinRun.h
/// What a run of a protein model (msa_transformer, esm) gives: the attention the shared views
/// read, the MSA Transformer's column attention, the logits of every token and the contacts.

#include "attention/AttentionStore.h"
#include "model/RunResult.h"

namespace attn {

/// One protein run; owned by the caller.
struct ProteinRun {
    /// ids: the query row's tokens (msa_transformer; <cls> first) or the whole input (esm);
    /// attention: the tied row attention [layers][heads, C, C] or ESM's [heads, T, T].
    RunResult result;
    AttentionStore columnAttention; ///< msa_transformer: per layer heads * C maps of R x R (head h * C + c); else empty.
    Matrix logits;                  ///< [R * C, vocab] (row-major by row, then column) or [T, vocab].
    Matrix contacts;                ///< The contact head's probabilities [L, L] over the query's residues.
    Index rows = 1;                 ///< Sequences R the model saw (1 for esm).
};

} // namespace attn
