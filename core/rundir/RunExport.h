#pragma once
/// @file RunExport.h
/// Writes a run's numbers as a directory of standard files, the same for every kind of
/// input: meta.json, tokens.tsv (index, label, then the token axis' columns), logits.npy,
/// attention/layer_NN.npy, rollout.npy, and rollout_bases.npy for k-mer models.

#include "attention/HeadEdits.h"
#include "interpret/Rollout.h"
#include "model/RunResult.h"
#include "model/Model.h"
#include "model/TokenAxis.h"
#include "model/tokenizers/Tokenizer.h"

#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

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
    std::map<std::string, std::variant<std::int64_t, std::string>> inputDetails; ///< More of what was run, for meta.json's
                                                                                 ///< "input" (alignments: sequences, subsampling).
    Interventions interventions; ///< Heads changed in the run (meta.json's "interventions").
};

/// A float32 array a kind adds to the run directory.
struct RunArray {
    std::string file;                ///< Path inside the directory ("contacts.npy").
    std::vector<std::int64_t> shape; ///< Its shape.
    const float* data = nullptr;     ///< Row-major elements.
    std::string layout;              ///< What it holds, for meta.json.
};

/// Per-layer attention written as FOLDER/layer_NN.npy, one file per kept layer.
struct RunStore {
    std::string folder;                   ///< "attention", "row_attention", "column_attention".
    const AttentionStore* store = nullptr; ///< The weights.
    std::vector<std::int64_t> layerShape; ///< Shape of one layer's file (empty: [heads, L, L]).
    std::string layout;                   ///< What a file holds, for meta.json.
};

/// What a kind writes beside meta.json and tokens.tsv. The default is a classifier's run:
/// attention/ from the result, logits.npy [classes] and the rollout.
struct RunFiles {
    std::vector<RunStore> attention; ///< Empty: the result's attention in attention/.
    std::vector<RunArray> arrays;    ///< Replace logits.npy (and say what it holds) when given.
    bool rollout = true;             ///< rollout.npy: the [CLS] row of the rollout ...
    bool rolloutMean = false;        ///< ... or, for a model without [CLS], the mean of its rows.
    bool logits = true;              ///< logits.npy from the result (false: a model without a classifier).
};

/// Writes the run directory (created if missing). The rollout written is the [CLS] row
/// of the rollout with `rollout` options. A model without class labels writes no
/// classifier keys in meta.json. Throws IoError naming the file on failure.
void writeRunDirectory(const std::filesystem::path& directory, const Model& model, const TokenAxis& axis,
                       const RunResult& result, const RunDescription& description, const RolloutOptions& rollout,
                       const RunFiles& files = {});

/// tokens.tsv's text: "index", the label column, the axis' columns; NaN written "nan".
std::string tokenTable(const TokenAxis& axis);

/// Softmax of logits (class probabilities).
Vector probabilities(const Vector& logits);

} // namespace attn
