#pragma once
/// @file YamlFile.h
/// A YAML file read as JSON (internal to the core: it exposes nlohmann-json), through yaml-cpp:
/// MONAI bundles may write their configs as YAML instead of JSON.

#include <nlohmann/json.hpp>

#include <filesystem>

namespace attn {

/// Parses a YAML file that must hold a mapping, as the JSON value it denotes: mappings become
/// objects, sequences arrays; a plain scalar is null, a boolean, an integer or a number when YAML
/// 1.2's core schema reads it so, else a string; a quoted scalar is always a string. IoError if it
/// cannot be read; FormatError naming the file and the line when it is not YAML, not a mapping, or
/// nested deeper than 64 levels.
nlohmann::json readYamlObject(const std::filesystem::path& path);

} // namespace attn
