#pragma once
/// @file ResidueList.h
/// A user's own list of residues (a binding site, an active site, mutations) for protein enrichment:
/// 1-based positions of the query, one or more per line, separated by spaces, tabs or commas, each a
/// number N or a range A-B (both included); '#' starts a comment.

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// The positions a residue list names, 1-based, ascending, each once. FormatError names the file,
/// the line and what is wrong (not a number, a position from 0, a reversed range, an empty list).
std::vector<long> parseResidueList(const std::string& text, const std::string& file);
/// The same from a file (gzipped or not).
std::vector<long> readResidueList(const std::filesystem::path& path);

} // namespace attn
