#pragma once
/// @file ModelFamily.h
/// Models of every family through one table: a directory, or a model file of a known format. config.json is read once; its
/// "family" (or Hugging Face's "model_type") picks the family's entry, which loads,
/// validates and describes the model. Adding a family is one entry (ModelFamilyTable.h).

#include "model/Model.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// Loads a model of any family: a directory (config.json read once), or a model file a format
/// recognises by its content (a fair-esm checkpoint). Errors name the file and the key or tensor:
/// FormatError for a config with a missing, mistyped or unknown key.
std::shared_ptr<const Model> loadModelPath(const std::filesystem::path& path);

/// True if `path` is a model: a directory holding config.json, or a file a model format recognises.
bool isModelPath(const std::filesystem::path& path);

/// The JSON that `attnscope-cli info` prints: path, family, sizes, parameter count, and what
/// the family adds (tokenizer; CT input grid and stem).
std::string describeModel(const Model& model, const std::string& path);

/// The families' names, in table order ("torch_encoder", "bert", "ct_encoder", ...).
std::vector<std::string> modelFamilyNames();

} // namespace attn
