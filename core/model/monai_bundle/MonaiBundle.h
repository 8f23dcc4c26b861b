#pragma once
/// @file MonaiBundle.h
/// MONAI bundles (a folder with configs/inference.json or .yaml and models/model.pt) opened as
/// models: the config's network_def picks the family (`ViT` -> monai_vit, `UNETR` -> monai_unetr)
/// and gives its arguments, `@` references followed; the state dict is read through the
/// checkpoint reader, without running anything.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace attn {

/// A bundle's inference config, read (JSON or YAML) and with its file name for messages.
struct BundleConfig {
    std::filesystem::path file; ///< configs/inference.json or .yaml.
    nlohmann::json root;        ///< The whole config.
};

/// Reads configs/inference.json (or .yaml) of the bundle folder `bundle`; FormatError naming the
/// folder when it has neither.
BundleConfig readBundleConfig(const std::filesystem::path& bundle);

/// The value at `id` ("network_def", or "a::b" / "a#b" for nested keys) with every "@id" string
/// inside it replaced by what it refers to, recursively. A "$" expression or a "%" macro is
/// refused (FormatError naming the file and the key): attnscope evaluates no Python; when
/// `lenient`, they are kept as text, as is a reference that cannot be followed.
nlohmann::json resolveBundleValue(const BundleConfig& config, const std::string& id, bool lenient = false);

} // namespace attn
