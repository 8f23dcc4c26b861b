#pragma once
/// @file BedFile.h
/// BED intervals (UCSC): a sequence name, a 0-based start and an exclusive end per line, tab or
/// space separated; further columns, "track" / "browser" lines and '#' comments are ignored.

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// One interval: bases [start, end) of the sequence `name`.
struct BedInterval {
    std::string name;
    long start = 0;
    long end = 0;
};

/// Reads a BED file (gzipped or not); FormatError names the file, the line and what is wrong.
std::vector<BedInterval> readBed(const std::filesystem::path& path);
/// The same from text; `file` names it in errors.
std::vector<BedInterval> parseBed(const std::string& text, const std::string& file);

} // namespace attn
