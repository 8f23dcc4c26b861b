#pragma once
/// @file CliCommands.h
/// The sub-commands of attnscope-cli, each a plain function over the core.

#include "interpret/Rollout.h"
#include "attention/AttentionStore.h"

#include <string>
#include <vector>

namespace attn::cli {

/// Exit statuses of attnscope-cli (also documented in the README).
enum ExitCode : int {
    Success = 0,       ///< Done.
    InternalError = 1, ///< A bug: please report it.
    UsageError = 2,    ///< Bad command line.
    BadInput = 3,      ///< A file is missing, unreadable or malformed.
    OverBudget = 4,    ///< The request exceeds a resource limit (memory budget).
};

/// Arguments of `attnscope-cli run`.
struct RunArgs {
    std::string model;           ///< Model directory.
    std::string input;           ///< FASTA file; its first record is run.
    std::string out;             ///< Output directory.
    std::string store = "f32";   ///< Attention store element type.
    std::vector<int> layers;     ///< Layers to keep (empty: all).
    double budgetMb = 0;         ///< Memory budget for the store in MB (0: half of RAM).
    std::string fusion = "mean"; ///< Rollout head fusion.
    float discard = 0.0f;        ///< Rollout discard ratio.
    int startLayer = 0;          ///< Rollout start layer.
};

/// Prints the model's family, sizes and parameter count as JSON on stdout.
void infoCommand(const std::string& modelDir);

/// Runs the model on the first FASTA record and writes the run directory.
void runCommand(const RunArgs& args);

} // namespace attn::cli
