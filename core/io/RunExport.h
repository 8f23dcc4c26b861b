#pragma once
/// @file RunExport.h
/// Writes a run's numbers as a directory of standard files (meta.json, tokens.tsv,
/// logits.npy, attention/layer_NN.npy, rollout.npy, and rollout_bases.npy for k-mer models),
/// the data behind every view.

#include "interpret/Rollout.h"
#include "model/EncoderModel.h"

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
};

/// Writes the run directory (created if missing). The rollout written is the [CLS] row
/// of the rollout with `rollout` options. Throws IoError naming the file on failure.
void writeRunDirectory(const std::filesystem::path& directory, const EncoderModel& model, const Encoding& encoding,
                       int bases, const RunResult& result, const RunDescription& description,
                       const RolloutOptions& rollout);

/// Softmax of logits (class probabilities).
Vector probabilities(const Vector& logits);

} // namespace attn
