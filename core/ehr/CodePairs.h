#pragma once
/// @file CodePairs.h
/// Pairs of codes that belong together (a drug and the laboratory test that watches it), the
/// annotations of EHR enrichment: a two-column TSV, e.g. RXNORM/855332 <tab> LOINC/6301-6.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace attn {

/// Reads the pairs (gzipped or not); blank lines and '#' comments are skipped. FormatError names the
/// file, the line and what is wrong.
std::vector<std::pair<std::string, std::string>> readCodePairs(const std::filesystem::path& path);
/// The same from text; `file` names it in errors.
std::vector<std::pair<std::string, std::string>> parseCodePairs(const std::string& text, const std::string& file);

} // namespace attn
