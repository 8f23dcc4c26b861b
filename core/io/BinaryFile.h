#pragma once
/// @file BinaryFile.h
/// Bounds-checked random access to a binary file, and whole-file writing.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace attn {

/// A file opened for reading, with its size known, read in checked ranges.
class BinaryFile {
public:
    /// Opens the file; throws IoError naming it if that fails.
    explicit BinaryFile(const std::filesystem::path& path);
    /// Size of the file in bytes.
    std::uint64_t size() const { return size_; }
    /// Reads `count` bytes at `offset`; throws FormatError if the range is past the end.
    std::string read(std::uint64_t offset, std::uint64_t count);

private:
    std::filesystem::path path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

/// Reads a whole (text or binary) file; throws IoError naming it on failure.
std::string readWholeFile(const std::filesystem::path& path);

/// True if the path is a regular file (never throws).
bool isRegularFile(const std::filesystem::path& path);

/// Up to `bytes` bytes from the start of a regular file, "" when it cannot be read (never throws:
/// for judging what a file is by its first bytes).
std::string readFileHead(const std::filesystem::path& path, std::size_t bytes);

/// Writes bytes to a file, replacing it only once they are all written (through PATH.part);
/// throws IoError naming it on failure, leaving what was at the path as it was.
void writeBinaryFile(const std::filesystem::path& path, const std::string& bytes);

} // namespace attn
