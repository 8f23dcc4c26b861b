#pragma once
/// @file RunExport.h
/// Writes a run's numbers as a directory of standard files, the same for every kind of
/// input: meta.json, tokens.tsv (index, label, then the token axis' columns), logits.npy,
/// attention/layer_NN.npy, rollout.npy, and rollout_bases.npy for k-mer models.

#include "interpret/Rollout.h"
#include "model/EncoderModel.h"
#include "model/Model.h"
#include "model/TokenAxis.h"

#include <filesystem>
#include <string>

namespace attn {

/// What was run, for meta.json.
struct RunDescription {
    std::string modelPath;     ///< Model directory.
    std::string inputPath;     ///< Input file.
    std::string recordName;    ///< Name of the input record.
    std::string recordDescription; ///< Rest of its header.
    int unknownTokens = 0;     ///< Characters mapped to the unknown token.
    double seconds = 0.0;      ///< Wall-clock time of the forward pass.
    std::vector<TokenSpan> kmerSpans; ///< k-mer models: the bases each token covers (for rollout_bases.npy).
    int bases = 0;             ///< k-mer models: bases in the input.
};

/// Writes the run directory (created if missing). The rollout written is the [CLS] row
/// of the rollout with `rollout` options. Throws IoError naming the file on failure.
void writeRunDirectory(const std::filesystem::path& directory, const Model& model, const TokenAxis& axis,
                       const RunResult& result, const RunDescription& description, const RolloutOptions& rollout);

/// tokens.tsv's text: "index", the label column, the axis' columns; NaN written "nan".
std::string tokenTable(const TokenAxis& axis);

/// Softmax of logits (class probabilities).
Vector probabilities(const Vector& logits);

} // namespace attn
