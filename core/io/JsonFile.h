#pragma once
/// @file JsonFile.h
/// A JSON object read from a file, with errors naming it (internal to the core: it exposes
/// nlohmann-json). config.json and Hugging Face shard indexes are read through it.

#include <nlohmann/json.hpp>

#include <filesystem>

namespace attn {

/// Parses a file that must hold a JSON object. IoError if it cannot be read; FormatError naming it
/// when it is not JSON (a number beyond double included) or not an object.
nlohmann::json readJsonObject(const std::filesystem::path& path);

} // namespace attn
