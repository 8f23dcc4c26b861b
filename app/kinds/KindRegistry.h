#pragma once
/// @file KindRegistry.h
/// The kinds of data attnscope knows, one line each in KindRegistry.cpp.

#include "kinds/Kind.h"

#include <string>
#include <vector>

namespace attn::kinds {

/// Every kind, in the order they are offered.
const std::vector<const Kind*>& kindRegistry();

/// The first kind whose content check accepts the file or folder, or null.
const Kind* kindAccepting(const std::filesystem::path& path);

/// What attnscope opens, for messages: "model folders, FASTA files of DNA sequences, ...".
std::string openableDescription();

/// Throws IoError "PATH is empty" for an empty file (which no kind can tell apart); folders,
/// missing and other files pass (their readers say what is wrong).
void requireContent(const std::filesystem::path& path);

/// The kind that runs this model; FormatError naming `modelPath` when none does.
const Kind& kindRunning(const Model& model, const std::string& modelPath);

} // namespace attn::kinds
