#pragma once
/// @file TextFile.h
/// Text files that may be gzipped (judged by their magic bytes, not their name): alignments,
/// FHIR bundles and NDJSON exports, event tables.

#include <cstddef>
#include <filesystem>
#include <string>

namespace attn {

/// The largest text read whole (after decompression): 1 GiB.
constexpr std::size_t kMaxTextBytes = std::size_t{1} << 30;

/// The text of a file, decompressed when it is gzipped, at most `limit` bytes. Throws IoError
/// when it cannot be read, FormatError naming the file when it is larger or a broken gzip stream.
std::string readMaybeGzippedText(const std::filesystem::path& path, std::size_t limit = kMaxTextBytes);

/// At most the first `bytes` bytes of the (decompressed) text, for telling formats apart by content;
/// a gzip stream is decompressed only as far as that.
std::string textHead(const std::filesystem::path& path, std::size_t bytes = std::size_t{1} << 16);

/// True when the file starts with gzip's magic bytes.
bool isGzipped(const std::filesystem::path& path);

} // namespace attn
